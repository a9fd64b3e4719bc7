using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;
using FsCheck.Xunit;

namespace DeskdropML.Tests.Warp;

/// <summary>Property checks of the WARP negative search on random catalogues, positives and parameters.</summary>
public class WarpSamplingProperties
{
    [Property(MaxTest = 300)]
    public bool ReturnedNegativeIsNeverAPositiveAndAlwaysViolatesTheMargin(int seed, byte itemsByte, byte density, sbyte positiveScoreTenths)
    {
        int items = 1 + itemsByte % 60;
        var rng = new Random(seed);
        var cols = Enumerable.Range(0, items).Where(_ => rng.Next(256) < density).ToArray();
        if (cols.Length == 0) cols = new[] { rng.Next(items) };
        var interactions = CsrMatrix.FromTriplets(1, items, new int[cols.Length], cols, cols.Select(_ => 1f).ToArray());
        const int d = 3;
        var options = new WarpTrainer.Options { NumberOfComponents = d, MaxSampled = 1 + rng.Next(20) };
        var r1 = new WarpRandom((ulong)seed);
        var r2 = new WarpRandom((ulong)seed + 1);
        var users = WarpSide.CreateInitial(CsrMatrix.Identity(1), d, WarpLearningSchedule.Adagrad, ref r1);
        var itemSide = WarpSide.CreateInitial(CsrMatrix.Identity(items), d, WarpLearningSchedule.Adagrad, ref r2);
        for (int k = 0; k < items; k++) itemSide.Bias(k) = (float)(rng.NextDouble() * 4 - 2);
        var sgd = new WarpSgd(users, itemSide, interactions, options);
        var user = new float[d + 1];
        users.Represent(0, user);
        float positiveScore = positiveScoreTenths / 10f;
        var negative = new float[d + 1];
        var sampler = new WarpRandom((ulong)seed * 31);
        for (int t = 0; t < 50; t++)
        {
            int j = sgd.FindViolatingNegative(ref sampler, 0, positiveScore, user, negative, out int sampled, out float score);
            if (sampled < 1 || sampled > options.MaxSampled) return false;
            if (j < 0) continue;
            if (interactions.Contains(0, j)) return false;
            // The reported score is the negative's true score, and it violates the margin.
            double expected = itemSide.Bias(j) + user[d];
            for (int c = 0; c < d; c++) expected += user[c] * itemSide.Embedding(j)[c];
            if (Math.Abs(expected - score) > 1e-5 || !(score > positiveScore - 1f)) return false;
            // The negative's representation is left in the buffer.
            if (negative[d] != itemSide.Bias(j)) return false;
        }
        return true;
    }
}
