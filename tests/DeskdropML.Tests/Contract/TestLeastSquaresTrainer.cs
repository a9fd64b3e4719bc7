using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Tests.Contract;

/// <summary>
/// Test-only trainer: alternating exact ridge regressions on the dense 0/1 matrix R (R[u,i] = 1 when stored):
/// p_u = (QᵀQ + λI)⁻¹ Qᵀ r_u, then q_i = (PᵀP + λI)⁻¹ Pᵀ r_i; item bias = 0.001 * distinct users of i, user bias 0.
/// Deterministic for a seed (the initial Q).
/// </summary>
public static class TestLeastSquaresTrainer
{
    public static TestFactorizationModel Fit(CsrMatrix interactions, IdMap users, IdMap items, int seed, int dimension = 4, double lambda = 0.1, int iterations = 8)
    {
        int nu = users.Count, ni = items.Count, d = dimension;
        var r = new double[nu, ni];
        for (int u = 0; u < nu; u++) foreach (int i in interactions.RowIndices(u)) r[u, i] = 1;
        var rng = new Random(seed);
        var p = new double[nu, d];
        var q = new double[ni, d];
        for (int i = 0; i < ni; i++) for (int k = 0; k < d; k++) q[i, k] = (rng.NextDouble() - 0.5) * 0.2;
        for (int it = 0; it < iterations; it++)
        {
            Solve(r, q, p, lambda, transpose: false);
            Solve(r, p, q, lambda, transpose: true);
        }
        var uf = new float[nu * d];
        var itf = new float[ni * d];
        for (int u = 0; u < nu; u++) for (int k = 0; k < d; k++) uf[u * d + k] = (float)p[u, k];
        for (int i = 0; i < ni; i++) for (int k = 0; k < d; k++) itf[i * d + k] = (float)q[i, k];
        var ib = new float[ni];
        foreach (int c in interactions.ColumnIndices) ib[c] += 0.001f;
        var has = new bool[nu];
        for (int u = 0; u < nu; u++) has[u] = interactions.RowLength(u) > 0;
        return new TestFactorizationModel(users, items, d, uf, new float[nu], itf, ib, has);
    }

    /// <summary>For every row x of the target: (FᵀF + λI) x = Fᵀ r_row, F the fixed factors.</summary>
    private static void Solve(double[,] r, double[,] fixedF, double[,] target, double lambda, bool transpose)
    {
        int n = target.GetLength(0), m = fixedF.GetLength(0), d = fixedF.GetLength(1);
        var a = new double[d, d];
        for (int x = 0; x < d; x++)
            for (int y = 0; y < d; y++)
            {
                double s = x == y ? lambda : 0;
                for (int j = 0; j < m; j++) s += fixedF[j, x] * fixedF[j, y];
                a[x, y] = s;
            }
        var b = new double[d];
        for (int row = 0; row < n; row++)
        {
            for (int x = 0; x < d; x++)
            {
                double s = 0;
                for (int j = 0; j < m; j++) s += (transpose ? r[j, row] : r[row, j]) * fixedF[j, x];
                b[x] = s;
            }
            double[] sol = Gauss((double[,])a.Clone(), (double[])b.Clone());
            for (int x = 0; x < d; x++) target[row, x] = sol[x];
        }
    }

    private static double[] Gauss(double[,] a, double[] b)
    {
        int n = b.Length;
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            for (int k = 0; k < n; k++) (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            (b[c], b[pivot]) = (b[pivot], b[c]);
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int k = c; k < n; k++) a[r, k] -= f * a[c, k];
                b[r] -= f * b[c];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r, k] * x[k];
            x[r] = s / a[r, r];
        }
        return x;
    }
}

/// <summary>Test-only estimator over <see cref="TestLeastSquaresTrainer"/>, proving the estimator base plugs in.</summary>
public sealed class TestLeastSquaresEstimator : FactorizationEstimatorBase<TestFactorizationModel>
{
    private readonly int _seed;

    public TestLeastSquaresEstimator(MLContext mlContext, int seed, string userIdColumnName = "UserId", string itemIdColumnName = "ItemId",
        string? labelColumnName = null, IdMap? userCatalog = null, IdMap? itemCatalog = null)
        : base(mlContext, userIdColumnName, itemIdColumnName, labelColumnName, userCatalog, itemCatalog) => _seed = seed;

    protected override string ModelKind => "test-least-squares";

    /// <summary>The matrix the last FitCore call saw (lets tests check the reading of the data view).</summary>
    public CsrMatrix? LastInteractions { get; private set; }

    protected override TestFactorizationModel FitCore(CsrMatrix interactions, IdMap users, IdMap items)
    {
        LastInteractions = interactions;
        return TestLeastSquaresTrainer.Fit(interactions, users, items, _seed);
    }
}
