using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

/// <summary>
/// The vector kernels of the ALS solvers against naive double-precision loops, for the factor counts that take the
/// register-tiled and fused paths (16..64, multiples of 16) and for counts that fall back to the general kernels.
/// </summary>
public class AlsKernelTests
{
    private static float[] Random(int seed, int n, double scale = 1.0)
    {
        var random = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)((random.NextDouble() - 0.5) * scale);
        return x;
    }

    /// <summary>A random symmetric positive definite k x k matrix (full storage): B^T B / k + I.</summary>
    private static float[] Spd(int seed, int k)
    {
        var b = Random(seed, k * k, 2.0);
        var a = new float[k * k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                double s = i == j ? 1.0 : 0.0;
                for (int l = 0; l < k; l++) s += (double)b[l * k + i] * b[l * k + j] / k;
                a[i * k + j] = (float)s;
            }
        return a;
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(32, 5)]
    [InlineData(48, 37)]
    [InlineData(64, 0)]
    [InlineData(64, 2)]
    [InlineData(64, 63)]
    public void TiledOuterUpdateMatchesNaiveSumAndLeavesFarLowerTriangleAlone(int k, int count)
    {
        Assert.True(AlsBlockKernels.Applies(k) || !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated);
        if (!AlsBlockKernels.Applies(k)) return; // no 512-bit vectors here: the general kernel runs instead
        var vectors = Random(1, count * k);
        var weights = Random(2, count, 4.0); // negative weights too (AlphaR confidences below 1)
        var start = Random(3, k * k);
        var a = (float[])start.Clone();
        AlsBlockKernels.AddWeightedOuterUpper(vectors, weights, a, k);
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
            {
                if (c >= r)
                {
                    double expected = start[r * k + c];
                    for (int e = 0; e < count; e++) expected += (double)weights[e] * vectors[e * k + r] * vectors[e * k + c];
                    Assert.True(Math.Abs(a[r * k + c] - expected) <= 1e-4 * (1 + Math.Abs(expected)), $"k {k} count {count} ({r},{c}): {a[r * k + c]} vs {expected}");
                }
                else if (c < (r & ~15))
                    Assert.Equal(start[r * k + c], a[r * k + c]); // only the diagonal's 16-float chunk may be scribbled on
            }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(64)]
    public void TiledCholeskyEqualsDoublePrecisionFactorAndSolves(int k)
    {
        if (!AlsBlockKernels.Applies(k)) return;
        var a = Spd(k, k);
        // Reference: U^T U = A in double, upper U.
        var u = new double[k, k];
        for (int j = 0; j < k; j++)
        {
            double d = a[j * k + j];
            for (int l = 0; l < j; l++) d -= u[l, j] * u[l, j];
            u[j, j] = Math.Sqrt(d);
            for (int c = j + 1; c < k; c++)
            {
                double s = a[j * k + c];
                for (int l = 0; l < j; l++) s -= u[l, j] * u[l, c];
                u[j, c] = s / u[j, j];
            }
        }
        var factor = (float[])a.Clone();
        var inverseDiagonal = new float[k];
        Assert.True(AlsBlockKernels.CholeskyUpper(factor, k, inverseDiagonal));
        for (int r = 0; r < k; r++)
        {
            Assert.True(Math.Abs(inverseDiagonal[r] - 1 / u[r, r]) <= 1e-5 * (1 + Math.Abs(1 / u[r, r])));
            for (int c = r; c < k; c++)
                Assert.True(Math.Abs(factor[r * k + c] - u[r, c]) <= 1e-4 * (1 + Math.Abs(u[r, c])), $"k {k} U[{r},{c}] {factor[r * k + c]} vs {u[r, c]}");
        }
        // The factor solves A x = b (with the shared triangular solve).
        var b = Random(7, k);
        var x = (float[])b.Clone();
        AlsKernels.CholeskySolveUpper(factor, inverseDiagonal, k, x, new float[k]);
        for (int r = 0; r < k; r++)
        {
            double ax = 0;
            for (int c = 0; c < k; c++) ax += (double)a[r * k + c] * x[c];
            Assert.True(Math.Abs(ax - b[r]) < 1e-3, $"k {k} residual row {r}: {ax - b[r]}");
        }
        // The general kernel gives the same factor.
        var general = (float[])a.Clone();
        Assert.True(AlsKernels.CholeskyUpper(general, k, new float[k]));
        for (int r = 0; r < k; r++)
            for (int c = r; c < k; c++)
                Assert.True(Math.Abs(general[r * k + c] - factor[r * k + c]) <= 1e-4 * (1 + Math.Abs(u[r, c])));
    }

    [Theory]
    [InlineData(16, 3)]
    [InlineData(64, 20)]
    public void TiledCholeskyRefusesAnIndefiniteMatrix(int k, int badPivot)
    {
        if (!AlsBlockKernels.Applies(k)) return;
        var a = Spd(5, k);
        a[badPivot * k + badPivot] = -1f; // a negative diagonal entry: not positive definite
        Assert.False(AlsBlockKernels.CholeskyUpper(a, k, new float[k]));
    }

    [Theory]
    [InlineData(16, 1, false)]
    [InlineData(16, 7, true)]
    [InlineData(64, 2, false)]
    [InlineData(64, 9, true)]
    [InlineData(32, 0, true)]
    public void FusedProjectionsMatchTheTwoPassDefinition(int k, int count, bool residual)
    {
        if (!AlsKernels.CanFuseRows(k)) return;
        var rows = Random(11, count * k);
        var weights = Random(12, count, 3.0);
        var targets = residual ? Random(13, count, 3.0) : Array.Empty<float>();
        var v = Random(14, k);
        var acc = Random(15, k);
        var expected = acc.Select(x => (double)x).ToArray();
        for (int n = 0; n < count; n++)
        {
            double dot = 0;
            for (int d = 0; d < k; d++) dot += (double)rows[n * k + d] * v[d];
            double c = residual ? targets[n] - weights[n] * dot : weights[n] * dot;
            for (int d = 0; d < k; d++) expected[d] += c * rows[n * k + d];
        }
        AlsKernels.AddWeightedProjections(rows, weights, targets, v, acc, k);
        for (int d = 0; d < k; d++)
            Assert.True(Math.Abs(acc[d] - expected[d]) <= 1e-4 * (1 + Math.Abs(expected[d])), $"k {k} count {count} [{d}] {acc[d]} vs {expected[d]}");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(24)]
    public void SymmetricMatVecMatchesNaiveProduct(int k)
    {
        var m = Spd(21, k);
        var v = Random(22, k);
        var result = new float[k];
        AlsKernels.SymmetricMatVec(m, v, result);
        for (int r = 0; r < k; r++)
        {
            double expected = 0;
            for (int c = 0; c < k; c++) expected += (double)m[r * k + c] * v[c];
            Assert.True(Math.Abs(result[r] - expected) <= 1e-4 * (1 + Math.Abs(expected)));
        }
    }
}
