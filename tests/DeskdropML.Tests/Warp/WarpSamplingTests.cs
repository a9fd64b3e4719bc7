using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Tests.Warp;

/// <summary>The negative samplers must never return a known positive of the user.</summary>
public class WarpSamplingTests
{
    private const int Items = 50;

    // User 0 has 45 of 50 items as positives (including zero-weight entries); 5 items are eligible negatives.
    private static (WarpSgd Sgd, WarpSide Users, WarpSide Items, CsrMatrix Interactions) Build(int maxSampled)
    {
        var cols = Enumerable.Range(0, Items).Where(i => i % 10 != 3).ToArray();
        var vals = cols.Select(c => c % 7 == 0 ? 0f : 1f).ToArray();
        var interactions = CsrMatrix.FromTriplets(1, Items, new int[cols.Length], cols, vals);
        var options = new WarpTrainer.Options { NumberOfComponents = 3, MaxSampled = maxSampled };
        var r1 = new WarpRandom(1);
        var r2 = new WarpRandom(2);
        var users = WarpSide.CreateInitial(CsrMatrix.Identity(1), 3, WarpLearningSchedule.Adagrad, ref r1);
        var items = WarpSide.CreateInitial(CsrMatrix.Identity(Items), 3, WarpLearningSchedule.Adagrad, ref r2);
        // All-zero parameters: every score is 0, so every drawn item violates 0 > s_pos - 1 for s_pos = 0.
        Array.Clear(users.Parameters);
        Array.Clear(items.Parameters);
        return (new WarpSgd(users, items, interactions, options), users, items, interactions);
    }

    [Fact]
    public void WarpNegativeSearchNeverReturnsAKnownPositive()
    {
        var (sgd, _, _, interactions) = Build(maxSampled: 10);
        var rng = new WarpRandom(99);
        var user = new float[4];
        var negative = new float[4];
        var found = new HashSet<int>();
        int misses = 0;
        for (int t = 0; t < 20000; t++)
        {
            int j = sgd.FindViolatingNegative(ref rng, 0, 0f, user, negative, out int sampled, out float score);
            if (j < 0) { misses++; Assert.Equal(10, sampled); continue; }
            Assert.False(interactions.Contains(0, j), $"Known positive {j} was returned as a negative.");
            Assert.InRange(sampled, 1, 10);
            Assert.Equal(0f, score);
            found.Add(j);
        }
        // All 5 eligible items are found, and a miss happens with probability 0.9^10 ≈ 0.35 per call.
        Assert.Equal(new[] { 3, 13, 23, 33, 43 }, found.OrderBy(x => x));
        Assert.InRange(misses / 20000.0, 0.30, 0.40);
    }

    [Fact]
    public void WarpNegativeSearchReturnsNothingWhenNoItemViolatesTheMargin()
    {
        var (sgd, _, _, _) = Build(maxSampled: 10);
        var rng = new WarpRandom(3);
        var user = new float[4];
        var negative = new float[4];
        // Positive score 5: a zero-scored negative does not satisfy 0 > 5 - 1.
        for (int t = 0; t < 100; t++)
            Assert.Equal(-1, sgd.FindViolatingNegative(ref rng, 0, 5f, user, negative, out _, out _));
    }

    [Fact]
    public void UniformNegativeSamplerNeverReturnsAKnownPositive()
    {
        var (sgd, _, _, interactions) = Build(maxSampled: 10);
        var rng = new WarpRandom(4);
        var counts = new int[Items];
        for (int t = 0; t < 20000; t++)
        {
            int j = sgd.SampleNegative(ref rng, 0);
            if (j < 0) continue;
            Assert.False(interactions.Contains(0, j), $"Known positive {j} was returned as a negative.");
            counts[j]++;
        }
        // Roughly uniform over the 5 eligible items.
        foreach (int j in new[] { 3, 13, 23, 33, 43 }) Assert.InRange(counts[j], 2000, 3000);
    }

    [Fact]
    public void RandomIntegersAreUniformAndInRange()
    {
        var rng = new WarpRandom(123);
        var counts = new int[7];
        for (int t = 0; t < 70000; t++) counts[rng.NextInt(7)]++;
        foreach (int c in counts) Assert.InRange(c, 9500, 10500);
        for (int t = 0; t < 1000; t++) Assert.InRange(rng.NextFloat(), 0f, 0.99999994f);
    }
}
