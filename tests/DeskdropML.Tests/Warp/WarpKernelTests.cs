using System.Numerics.Tensors;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Tests.Warp;

/// <summary>
/// The AVX-512 kernels of the WARP loop against the portable code they replace (same quantities, float rounding
/// apart), at every width around the 16-lane boundaries, plus the in-place (view) path of single-feature rows
/// against the summed-representation path, which must agree bit for bit.
/// </summary>
public class WarpKernelTests
{
    private static readonly int[] Widths = [1, 2, 3, 7, 8, 10, 11, 15, 16, 17, 31, 32, 33, 47, 48, 49, 65];

    private static float[] RandomArray(Random rng, int n, double scale = 1, double shift = -0.5)
    {
        var a = new float[n];
        for (int k = 0; k < n; k++) a[k] = (float)((rng.NextDouble() + shift) * scale);
        return a;
    }

    private static void Close(float expected, float actual, double relative, string what)
    {
        double tol = relative * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:G9}, got {actual:G9}");
    }

    [Fact]
    public void DotMatchesAReferenceAtEveryWidth()
    {
        if (!WarpKernels.UseVectorPath) return; // nothing to compare: the portable path is the reference
        var rng = new Random(1);
        foreach (int n in Widths)
        {
            var a = RandomArray(rng, n + 3);
            var b = RandomArray(rng, n + 3);
            double reference = 0;
            for (int c = 0; c < n; c++) reference += (double)a[c] * b[c];
            Close((float)reference, WarpKernels.DotAvx512(a, b, n), 1e-5, $"dot n={n}");
            Close(TensorPrimitives.Dot(a.AsSpan(0, n), b.AsSpan(0, n)), WarpKernels.DotAvx512(a, b, n), 1e-5, $"dot vs TensorPrimitives n={n}");
        }
    }

    [Fact]
    public void SumOfFeatureBlocksMatchesThePortableSumAndWritesOnlyItsBlock()
    {
        if (!WarpKernels.UseVectorPath) return;
        var rng = new Random(2);
        foreach (int stride in Widths)
        {
            const int features = 9;
            var parameters = RandomArray(rng, features * stride);
            foreach (int count in new[] { 0, 1, 2, 5, 9 })
            {
                // Always include the last feature when count > 0: its masked loads end exactly at the array's end.
                var idx = Enumerable.Range(0, count).Select(k => features - 1 - 2 * k % features).ToArray();
                var val = RandomArray(rng, count, 4, -0.5);
                var expected = new float[stride + 20];
                var actual = new float[stride + 20];
                Array.Fill(expected, 7f);
                Array.Fill(actual, 7f);
                WarpKernels.SumBlocksPortable(parameters, stride, idx, val, expected);
                WarpKernels.SumBlocksAvx512(parameters, stride, idx, val, actual);
                for (int c = 0; c < expected.Length; c++)
                    Close(expected[c], actual[c], 1e-5, $"stride {stride}, {count} features, entry {c}");
                for (int c = stride; c < actual.Length; c++) Assert.Equal(7f, actual[c]); // nothing written past the block
            }
        }
    }

    [Theory]
    [InlineData(WarpLearningSchedule.Adagrad, 0f)]
    [InlineData(WarpLearningSchedule.Adagrad, 0.3f)]
    [InlineData(WarpLearningSchedule.Adadelta, 0f)]
    [InlineData(WarpLearningSchedule.Adadelta, 0.3f)]
    public void OptimiserStepMatchesThePortableStepAndLeavesEverythingElseAlone(WarpLearningSchedule schedule, float alpha)
    {
        if (!WarpKernels.UseVectorPath) return;
        var optimizer = new WarpOptimizer(schedule, 0.05f, 0.95f, 1e-6f);
        var rng = new Random(3);
        foreach (int width in Widths)
        {
            foreach (int stride in new[] { width, width + 1, width + 5 })
            foreach (int directionLength in new[] { width, width - 1 })
            {
                if (directionLength < 0) continue;
                const int features = 6;
                int length = features * stride;
                // Features 5 (the last block, ending at the array's end), 2, and 0 with value 0 (skipped); 1, 3, 4 untouched.
                int[] idx = [5, 2, 0];
                float[] val = [1f, -0.7f, 0f];
                var theta = RandomArray(rng, length);
                // Adagrad: Σg² + 1 ≥ 1; Adadelta: E[g²], E[Δ²] ≥ 0.
                var acc = RandomArray(rng, length, 2, schedule == WarpLearningSchedule.Adagrad ? 0.5 : 0);
                float[]? deltas = schedule == WarpLearningSchedule.Adadelta ? RandomArray(rng, length, 0.01, 0) : null;
                var direction = RandomArray(rng, directionLength + 2);
                float scale = (float)(rng.NextDouble() * 4 - 2);
                var (t1, a1, d1) = ((float[])theta.Clone(), (float[])acc.Clone(), (float[]?)deltas?.Clone());
                var (t2, a2, d2) = ((float[])theta.Clone(), (float[])acc.Clone(), (float[]?)deltas?.Clone());
                WarpKernels.StepFeaturesPortable(optimizer, t1, a1, d1, stride, idx, val, width, direction, directionLength, scale, alpha);
                WarpKernels.StepFeaturesAvx512(optimizer, t2, a2, d2, stride, idx, val, width, direction, directionLength, scale, alpha);
                string what = $"{schedule} alpha {alpha} width {width} stride {stride} direction {directionLength}";
                for (int k = 0; k < length; k++)
                {
                    int f = k / stride;
                    bool stepped = (f == 5 || f == 2) && k % stride < width;
                    if (!stepped)
                    {
                        Assert.Equal(theta[k], t2[k]);
                        Assert.Equal(acc[k], a2[k]);
                        if (deltas is not null) Assert.Equal(deltas[k], d2![k]);
                        continue;
                    }
                    Close(t1[k], t2[k], 1e-6, $"{what}: theta[{k}]");
                    Close(a1[k], a2[k], 1e-6, $"{what}: accumulator[{k}]");
                    if (deltas is not null) Close(d1![k], d2![k], 1e-6, $"{what}: delta[{k}]");
                    Assert.NotEqual(theta[k], t2[k]); // every entry of a stepped block moved
                }
            }
        }
    }

    /// <summary>The Adagrad rate from the refined reciprocal square root estimate is within 2.5e-7 (relative) of η / √G.</summary>
    [Fact]
    public void AdagradRateEstimateIsAsAccurateAsTheExactRate()
    {
        if (!WarpKernels.UseVectorPath) return;
        var optimizer = new WarpOptimizer(WarpLearningSchedule.Adagrad, 1f, 0.95f, 1e-6f);
        double worst = 0;
        for (double g0 = 1; g0 < 1e7; g0 *= 1.37)
        {
            // With θ = 0, direction 1 and scale -1 the new θ is exactly the rate η / √G (no L2).
            var theta = new float[16];
            var acc = new float[16];
            for (int c = 0; c < 16; c++) acc[c] = (float)(g0 * (1 + c / 16.0));
            var direction = Enumerable.Repeat(1f, 16).ToArray();
            WarpKernels.StepFeaturesAvx512(optimizer, theta, (float[])acc.Clone(), null, 16, [0], [1f], 16, direction, 16, -1f, 0f);
            for (int c = 0; c < 16; c++)
                worst = Math.Max(worst, Math.Abs(theta[c] * Math.Sqrt(acc[c]) - 1));
        }
        Assert.True(worst < 2.5e-7, $"worst relative error {worst:G3}");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(int.MinValue)]
    public void PointerKernelsRefuseAFeatureIndexOutsideTheParameters(int bad)
    {
        if (!WarpKernels.UseVectorPath) return;
        var parameters = new float[4 * 11];
        var acc = new float[4 * 11];
        var repr = new float[11];
        var direction = new float[10];
        var optimizer = new WarpOptimizer(WarpLearningSchedule.Adagrad, 0.05f, 0.95f, 1e-6f);
        int[] idx = [0, 1, bad, 2, 3];
        float[] val = [1f, 1f, 1f, 1f, 1f];
        Assert.Throws<ArgumentOutOfRangeException>(() => WarpKernels.SumBlocksAvx512(parameters, 11, idx, val, repr));
        Assert.Throws<ArgumentOutOfRangeException>(() => WarpKernels.SumBlocksAvx512(parameters, 11, [bad], [1f], repr));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            WarpKernels.StepFeaturesAvx512(optimizer, parameters, acc, null, 11, idx, val, 11, direction, 10, 1f, 0f));
    }

    [Fact]
    public void PeekedDrawsAreTheDrawsThatFollow()
    {
        var rng = WarpRandom.ForStream(42, 3, 1);
        for (int t = 0; t < 200; t++)
        {
            int n = 1 + t * 977 % 50000;
            var peeks = Enumerable.Range(0, 5).Select(a => rng.PeekInt(n, a)).ToArray();
            var copy = rng;
            for (int a = 0; a < 5; a++) Assert.Equal(peeks[a], copy.NextInt(n));
            rng.NextInt(n);
        }
    }

    /// <summary>
    /// Identity rows are read and stepped in place (views of the parameter blocks); the same features written as
    /// side features with an extra explicit zero entry per row go through the summed representations and the
    /// per-feature steps (a zero-valued feature adds exactly 0 and is skipped by the step). One thread, same seed:
    /// the learned parameters of the shared features must be bit-identical.
    /// </summary>
    [Theory]
    [InlineData(WarpLoss.Warp)]
    [InlineData(WarpLoss.KosWarp)]
    [InlineData(WarpLoss.Bpr)]
    public void InPlaceRowsTrainExactlyLikeSummedRepresentations(WarpLoss loss)
    {
        var data = PlantedData.Generate(users: 120, items: 60, seed: 11);
        var options = new WarpTrainer.Options { NumberOfComponents = 17, NumberOfEpochs = 4, Loss = loss, Seed = 5 };
        var inPlace = new WarpTrainer(options).Fit(data.Train, data.Users, data.Items);

        static CsrMatrix IdentityPlusZeroColumn(int n)
        {
            var rows = Enumerable.Range(0, n).SelectMany(r => new[] { r, r }).ToArray();
            var cols = Enumerable.Range(0, n).SelectMany(r => new[] { r, n }).ToArray();
            var vals = Enumerable.Range(0, n).SelectMany(_ => new[] { 1f, 0f }).ToArray();
            return CsrMatrix.FromTriplets(n, n + 1, rows, cols, vals);
        }
        var summedOptions = new WarpTrainer.Options
        {
            NumberOfComponents = 17, NumberOfEpochs = 4, Loss = loss, Seed = 5,
            UseUserIdentityFeatures = false, UseItemIdentityFeatures = false,
        };
        var summed = new WarpTrainer(summedOptions).Fit(data.Train, data.Users, data.Items,
            IdentityPlusZeroColumn(data.Users.Count), IdentityPlusZeroColumn(data.Items.Count));

        int stride = options.NumberOfComponents + 1;
        Assert.True(inPlace.ItemFeatureParameters.SequenceEqual(summed.ItemFeatureParameters.Slice(0, data.Items.Count * stride)));
        Assert.True(inPlace.UserFeatureParameters.SequenceEqual(summed.UserFeatureParameters.Slice(0, data.Users.Count * stride)));
        Assert.False(inPlace.ItemFeatureParameters.SequenceEqual(new WarpTrainer(new WarpTrainer.Options
        { NumberOfComponents = 17, NumberOfEpochs = 4, Loss = loss, Seed = 6 }).Fit(data.Train, data.Users, data.Items).ItemFeatureParameters));
    }
    /// <summary>
    /// Whole hybrid fits (identity + several weighted "term" features per item, so item rows go through the summed
    /// representations and the fused multi-feature steps) with the AVX-512 kernels and with the portable ones, from
    /// the same start: the kernels differ only by rounding (and, for Adagrad, the refined rate estimate), so the
    /// training loss of the last epoch and the held-out AUC must agree closely, and both fits must have learned.
    /// </summary>
    [Theory]
    [InlineData(WarpLoss.Warp, WarpLearningSchedule.Adagrad)]
    [InlineData(WarpLoss.Warp, WarpLearningSchedule.Adadelta)]
    [InlineData(WarpLoss.Bpr, WarpLearningSchedule.Adagrad)]
    public void HybridFitsWithTheVectorKernelsLearnAsWellAsWithThePortableOnes(WarpLoss loss, WarpLearningSchedule schedule)
    {
        if (!WarpKernels.UseVectorPath) return;
        var data = PlantedData.Generate(users: 240, items: 90, seed: 21);
        var rng = new Random(4);
        var rows = new List<int>(); var cols = new List<int>(); var vals = new List<float>();
        for (int i = 0; i < data.Items.Count; i++)
        {
            var terms = new HashSet<int>();
            while (terms.Count < 4) terms.Add(data.ItemCluster[i] * 10 + rng.Next(10));
            while (terms.Count < 6) terms.Add(rng.Next(30));
            foreach (int t in terms) { rows.Add(i); cols.Add(t); vals.Add(0.1f + 0.9f * (float)rng.NextDouble()); }
        }
        var itemFeatures = WarpFeatureSpace.Combine(data.Items.Count, true, CsrMatrix.FromTriplets(data.Items.Count, 30, rows.ToArray(), cols.ToArray(), vals.ToArray()));
        const int d = 12;
        var options = new WarpTrainer.Options { NumberOfComponents = d, Loss = loss, LearningSchedule = schedule, LearningRate = 0.05f };
        var urng = new WarpRandom(1);
        var irng = new WarpRandom(2);
        var users0 = WarpSide.CreateInitial(CsrMatrix.Identity(data.Users.Count), d, schedule, ref urng);
        var items0 = WarpSide.CreateInitial(itemFeatures, d, schedule, ref irng);

        (double LastLoss, double Auc) Fit(bool vector)
        {
            var users = users0.Clone();
            var items = items0.Clone();
            var sgd = new WarpSgd(users, items, data.Train, options, vector);
            var order = new int[sgd.SamplesPerEpoch];
            double last = 0;
            for (int e = 0; e < 25; e++) last = sgd.RunEpoch(9, e, 1, order).MeanLoss;
            return (last, HeldOutAuc(users, items, data));
        }
        var (vectorLoss, vectorAuc) = Fit(true);
        var (portableLoss, portableAuc) = Fit(false);
        Assert.True(Math.Abs(vectorLoss - portableLoss) <= 0.05 * portableLoss, $"last-epoch loss {vectorLoss:G4} (vector) vs {portableLoss:G4} (portable)");
        Assert.True(Math.Abs(vectorAuc - portableAuc) <= 0.01, $"held-out AUC {vectorAuc:F4} (vector) vs {portableAuc:F4} (portable)");
        Assert.True(portableAuc > 0.8 && vectorAuc > 0.8, $"AUC {vectorAuc:F4} / {portableAuc:F4}: the fits did not learn the clusters");
    }

    /// <summary>Mean over users of the fraction of (held-out positive, non-positive) pairs scored in the right order.</summary>
    private static double HeldOutAuc(WarpSide users, WarpSide items, PlantedData data)
    {
        int d = users.Components;
        var p = new float[d + 1];
        var q = new float[d + 1];
        var scores = new double[data.Items.Count];
        double sum = 0;
        int counted = 0;
        for (int u = 0; u < data.Users.Count; u++)
        {
            var test = data.Test.RowIndices(u);
            if (test.Length == 0) continue;
            users.Represent(u, p, vector: false);
            for (int i = 0; i < scores.Length; i++)
            {
                items.Represent(i, q, vector: false);
                double s = q[d];
                for (int c = 0; c < d; c++) s += (double)p[c] * q[c];
                scores[i] = s;
            }
            long right = 0, pairs = 0;
            foreach (int i in test)
                for (int j = 0; j < scores.Length; j++)
                {
                    if (data.Train.Contains(u, j) || data.Test.Contains(u, j)) continue;
                    pairs++;
                    if (scores[i] > scores[j]) right++;
                }
            if (pairs == 0) continue;
            sum += (double)right / pairs;
            counted++;
        }
        return sum / counted;
    }
}
