using DeskdropML.Recommending;
using FsCheck;
using FsCheck.Fluent;

namespace DeskdropML.Tests.Recommending;

public sealed class TopKTests
{
    /// <summary>Scores drawn from a few values (many ties), with NaN and infinities mixed in.</summary>
    private static readonly float[] Palette = { 0f, 1f, 1f, 2f, -1f, 3.5f, float.NaN, float.NegativeInfinity, float.PositiveInfinity, -0f };

    /// <summary>The definition, by a full sort: descending score (NaN as -inf), ties by ascending index, mask skipped.</summary>
    private static int[] Reference(float[] scores, int k, bool[] mask) =>
        Enumerable.Range(0, scores.Length)
            .Where(i => mask.Length == 0 || !mask[i])
            .OrderByDescending(i => float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i])
            .ThenBy(i => i)
            .Take(k)
            .ToArray();

    [Fact]
    public void SameResultsAsAFullSort() =>
        Prop.ForAll(Gen.Choose(0, 200).ToArbitrary(), Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (n, k, seed) =>
        {
            var rng = new Random(seed);
            bool ties = rng.Next(2) == 0;
            var scores = new float[n];
            for (int i = 0; i < n; i++) scores[i] = ties ? Palette[rng.Next(Palette.Length)] : (float)rng.NextDouble();
            var mask = rng.Next(3) == 0 ? Array.Empty<bool>() : Enumerable.Range(0, n).Select(_ => rng.Next(4) == 0).ToArray();
            var idx = new int[k]; var sc = new float[k];
            int count = TopK.Select(scores, k, idx, sc, mask);
            return idx.AsSpan(0, count).SequenceEqual(Reference(scores, k, mask));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void KnownAnswerWithTiesNaNAndExclusion()
    {
        float[] scores = { 1, 5, float.NaN, 5, 2, 7, 5, 0, 9, 9, 1 };
        bool[] excluded = new bool[scores.Length];
        excluded[8] = true;
        var idx = new int[5]; var sc = new float[5];
        Assert.Equal(5, TopK.Select(scores, 5, idx, sc, excluded));
        Assert.Equal(new[] { 9, 5, 1, 3, 6 }, idx);
        Assert.Equal(new float[] { 9, 7, 5, 5, 5 }, sc);
    }
}
