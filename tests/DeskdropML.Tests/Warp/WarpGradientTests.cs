using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Tests.Warp;

/// <summary>
/// Finite-difference checks of the per-sample gradients the trainer applies. With fresh Adagrad accumulators
/// (G = 1) and no L2, one step changes every parameter by exactly <c>-η · ∂L/∂θ</c>, so the applied gradient is
/// recovered as <c>(θ_after - θ_before) / -η</c> and compared with central differences of the loss computed here
/// from the raw parameters (independently of the trainer's scoring code).
/// </summary>
public class WarpGradientTests
{
    private const int D = 4;
    private const float Rate = 0.01f;

    // 3 users, 4 items. Users: identity + 2 side features; items: identity + 1 side feature of their own.
    private static readonly CsrMatrix UserSide = CsrMatrix.FromTriplets(3, 2, new[] { 0, 0, 1, 2 }, new[] { 0, 1, 1, 0 }, new[] { 0.5f, 2f, 1.5f, -0.7f });
    private static readonly CsrMatrix ItemSide = CsrMatrix.FromTriplets(4, 4, new[] { 0, 1, 2, 3 }, new[] { 0, 1, 2, 3 }, new[] { 0.8f, 1.3f, 0.6f, 1.1f });
    private static readonly CsrMatrix Interactions = CsrMatrix.FromTriplets(3, 4, new[] { 0, 1, 2 }, new[] { 1, 2, 0 }, new[] { 1f, 1f, 1f });

    private static (WarpSide Users, WarpSide Items, WarpSgd Sgd) Build(WarpLoss loss)
    {
        var options = new WarpTrainer.Options { NumberOfComponents = D, Loss = loss, LearningRate = Rate };
        var urng = new WarpRandom(11);
        var irng = new WarpRandom(12);
        var users = WarpSide.CreateInitial(WarpFeatureSpace.Combine(3, true, UserSide), D, WarpLearningSchedule.Adagrad, ref urng);
        var items = WarpSide.CreateInitial(WarpFeatureSpace.Combine(4, true, ItemSide), D, WarpLearningSchedule.Adagrad, ref irng);
        // Make embeddings larger and biases non-zero so that every gradient term is exercised.
        var rng = new Random(5);
        foreach (var side in new[] { users, items })
        {
            for (int k = 0; k < side.Parameters.Length; k++) side.Parameters[k] = (float)(rng.NextDouble() - 0.5);
        }
        return (users, items, new WarpSgd(users, items, Interactions, options));
    }

    /// <summary>Score from raw parameters, in double.</summary>
    private static double Score(WarpSide users, WarpSide items, int u, int i)
    {
        var p = new double[D + 1];
        var q = new double[D + 1];
        Accumulate(users, u, p);
        Accumulate(items, i, q);
        double s = p[D] + q[D];
        for (int c = 0; c < D; c++) s += p[c] * q[c];
        return s;
    }

    private static void Accumulate(WarpSide side, int row, double[] repr)
    {
        var idx = side.Features.RowIndices(row);
        var val = side.Features.RowValues(row);
        for (int k = 0; k < idx.Length; k++)
        {
            // Parameter block of feature f: [e_f (D values), β_f], stride D + 1.
            for (int c = 0; c < D; c++) repr[c] += val[k] * side.Parameters[idx[k] * (D + 1) + c];
            repr[D] += val[k] * side.Parameters[idx[k] * (D + 1) + D];
        }
    }

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    private static void CheckGradient(WarpSide users, WarpSide items, Func<double> loss, Action step)
    {
        var arrays = new[] { users.Parameters, items.Parameters };
        var before = arrays.Select(a => (float[])a.Clone()).ToArray();
        // Numeric gradient first (restoring every parameter), then the analytic step.
        const float h = 1e-2f;
        var numeric = new double[arrays.Length][];
        for (int a = 0; a < arrays.Length; a++)
        {
            numeric[a] = new double[arrays[a].Length];
            for (int k = 0; k < arrays[a].Length; k++)
            {
                float orig = arrays[a][k];
                arrays[a][k] = orig + h; double up = loss();
                arrays[a][k] = orig - h; double down = loss();
                arrays[a][k] = orig;
                numeric[a][k] = (up - down) / (2 * h);
            }
        }
        step();
        int nonZero = 0;
        for (int a = 0; a < arrays.Length; a++)
        {
            for (int k = 0; k < arrays[a].Length; k++)
            {
                double analytic = (arrays[a][k] - (double)before[a][k]) / -Rate;
                double tol = 2e-3 + 2e-3 * Math.Abs(numeric[a][k]);
                Assert.True(Math.Abs(analytic - numeric[a][k]) <= tol,
                    $"array {a} index {k}: applied gradient {analytic:G6} vs finite difference {numeric[a][k]:G6}");
                if (Math.Abs(numeric[a][k]) > 1e-3) nonZero++;
            }
        }
        Assert.True(nonZero > 10, $"Only {nonZero} non-zero gradient entries; the check would be vacuous.");
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(2.5f)]
    public void BprStepAppliesTheExactGradientOfTheBprLoss(float weight)
    {
        var (users, items, sgd) = Build(WarpLoss.Bpr);
        int u = 0, i = 1, j = 3;
        CheckGradient(users, items,
            () => weight * Softplus(-(Score(users, items, u, i) - Score(users, items, u, j))),
            () => sgd.ApplyBpr(sgd.CreateScratch(), u, i, j, weight));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-2f)] // explicit negative: label 0, weight 2
    public void LogisticStepAppliesTheExactGradientOfTheLogLoss(float value)
    {
        var (users, items, sgd) = Build(WarpLoss.Logistic);
        int u = 1, i = 2;
        double y = value > 0 ? 1 : 0, w = Math.Abs(value);
        CheckGradient(users, items,
            () => { double s = Score(users, items, u, i); return w * (Softplus(s) - y * s); },
            () => sgd.ApplyLogistic(sgd.CreateScratch(), u, i, value));
    }

    [Fact]
    public void WarpStepAppliesTheGradientOfTheRankWeightedHinge()
    {
        var (users, items, sgd) = Build(WarpLoss.Warp);
        int u = 2, i = 0, j = 2;
        const float c = 1.7f;
        CheckGradient(users, items,
            () => c * (1 - Score(users, items, u, i) + Score(users, items, u, j)),
            () => sgd.ApplyWarpPair(sgd.CreateScratch(), u, i, j, c));
    }

    [Theory]
    [InlineData(101, 1, 4.60517)]  // ln(100)
    [InlineData(101, 3, 3.49651)]  // ln(floor(100/3) = 33)
    [InlineData(101, 10, 2.30259)] // ln(10)
    [InlineData(5, 10, 0.0)]       // floor(4/10) = 0 -> max(1, 0) -> ln 1
    public void WarpRankWeightIsLogOfFloorOfItemsOverDraws(int items, int sampled, double expected)
    {
        Assert.Equal(expected, WarpSgd.WarpRankWeight(items, sampled), 4);
    }

    [Fact]
    public void SoftplusAndSigmoidAreStableForLargeArguments()
    {
        Assert.Equal(100f, WarpSgd.Softplus(100f), 3);
        Assert.Equal(0f, WarpSgd.Softplus(-100f), 6);
        Assert.Equal(MathF.Log(2f), WarpSgd.Softplus(0f), 6);
        Assert.Equal(1f, WarpSgd.Sigmoid(100f));
        Assert.Equal(0f, WarpSgd.Sigmoid(-100f), 6);
    }
}
