using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Contract;
using FsCheck;
using FsCheck.Fluent;

namespace DeskdropML.Tests.Recommending;

public sealed class PackedItemMatrixTests
{
    /// <summary>Scores agree with a double-precision reference dot product, across block boundaries.</summary>
    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 3)]
    [InlineData(PackedItemMatrix.TileItems * 97, 32)]
    [InlineData(4099, 16)]
    [InlineData(33, 64)]
    public void ScoresMatchAReferenceDotProduct(int items, int dimension)
    {
        var users = new IdMap(new[] { "u0", "u1" });
        var itemMap = new IdMap(Enumerable.Range(0, items).Select(i => $"i{i:D5}"));
        var model = TestFactorizationModel.Random(users, itemMap, dimension, seed: items + dimension);
        var matrix = new PackedItemMatrix(model);
        var user = new float[dimension + 2];
        var item = new float[dimension + 2];
        var scores = new float[items];
        for (int u = 0; u < 2; u++)
        {
            model.GetPackedUserVector(u, user);
            matrix.Score(user, scores);
            for (int i = 0; i < items; i++)
            {
                model.GetPackedItemVector(i, item);
                double expected = 0;
                for (int d = 0; d < item.Length; d++) expected += (double)user[d] * item[d];
                Assert.True(Math.Abs(expected - scores[i]) <= 1e-5 * (1 + Math.Abs(expected)), $"item {i}: {scores[i]} vs {expected}");
            }
        }
    }

    [Fact]
    public void ScoringIsDeterministicAndEqualsTheModelsOwnScoresApproximately() =>
        Prop.ForAll(Gen.Choose(1, 300).ToArbitrary(), Gen.Choose(0, 9).ToArbitrary(), (items, dim) =>
        {
            var users = new IdMap(new[] { "u" });
            var model = TestFactorizationModel.Random(users, new IdMap(Enumerable.Range(0, items).Select(i => i.ToString("D4"))), dim, seed: items * 31 + dim);
            var matrix = new PackedItemMatrix(model);
            var packed = new float[dim + 2];
            model.GetPackedUserVector(0, packed);
            var a = new float[items]; var b = new float[items]; var reference = new float[items];
            matrix.Score(packed, a);
            matrix.Score(packed, b);
            model.ScoreItems(0, reference);
            for (int i = 0; i < items; i++)
                if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]) || Math.Abs(a[i] - reference[i]) > 1e-4f)
                    return false;
            return true;
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData(7, 1, 0)]
    [InlineData(7, 41, 5)]
    [InlineData(9, 5000, 31)]
    public void BatchAndSingleUserScoringGiveTheSameBits(int users, int items, int dimension)
    {
        var model = TestFactorizationModel.Random(new IdMap(Enumerable.Range(0, users).Select(u => $"u{u}")),
            new IdMap(Enumerable.Range(0, items).Select(i => $"i{i:D5}")), dimension, seed: 3);
        var matrix = new PackedItemMatrix(model);
        int p = dimension + 2;
        var packed = new float[users * p];
        for (int u = 0; u < users; u++) model.GetPackedUserVector(u, packed.AsSpan(u * p, p));
        var batch = new float[users * items];
        matrix.ScoreBatch(packed, users, batch); // 4-user kernel for the first users, 1-user kernel for the rest
        var single = new float[items];
        for (int u = 0; u < users; u++)
        {
            matrix.Score(packed.AsSpan(u * p, p), single);
            for (int i = 0; i < items; i++)
                Assert.Equal(BitConverter.SingleToInt32Bits(single[i]), BitConverter.SingleToInt32Bits(batch[u * items + i]));
        }
    }

    [Fact]
    public void WrongLengthsAreRejected()
    {
        var model = TestFactorizationModel.Random(new IdMap(new[] { "u" }), new IdMap(new[] { "a", "b" }), 3, seed: 1);
        var matrix = new PackedItemMatrix(model);
        Assert.Equal("packedUser", Assert.Throws<ArgumentException>(() => matrix.Score(new float[4], new float[2])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => matrix.Score(new float[5], new float[3])).ParamName);
    }
}
