using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

/// <summary>
/// Naive dense reference implementations for the ALS tests, written independently of the library: the full
/// confidence and preference matrices, the normal equations over every column, and Gaussian elimination in double.
/// </summary>
internal static class AlsReference
{
    /// <summary>A random sparse strength matrix with one empty row and one empty column (when shape allows).</summary>
    public static CsrMatrix RandomMatrix(int seed, int rows, int columns, double density, bool storeSomeZeros = false)
    {
        var random = new Random(seed);
        var r = new List<int>();
        var c = new List<int>();
        var v = new List<float>();
        for (int u = 0; u < rows; u++)
        {
            if (u == 1) continue; // empty user
            for (int i = 0; i < columns; i++)
            {
                if (i == columns - 1) continue; // empty item
                if (random.NextDouble() >= density) continue;
                r.Add(u);
                c.Add(i);
                v.Add(storeSomeZeros && random.NextDouble() < 0.1 ? 0f : (float)(0.2 + 3 * random.NextDouble()));
            }
        }
        return CsrMatrix.FromTriplets(rows, columns, r.ToArray(), c.ToArray(), v.ToArray());
    }

    public static IdMap Ids(string prefix, int count) => new(Enumerable.Range(0, count).Select(i => $"{prefix}{i:D5}"));

    public static float[] RandomFactors(int seed, int count, int k, double scale = 1.0)
    {
        var random = new Random(seed);
        var f = new float[count * k];
        for (int i = 0; i < f.Length; i++) f[i] = (float)((random.NextDouble() - 0.5) * scale);
        return f;
    }

    public static double[,] Dense(CsrMatrix m, out bool[,] stored)
    {
        var d = new double[m.Rows, m.Columns];
        stored = new bool[m.Rows, m.Columns];
        for (int u = 0; u < m.Rows; u++)
        {
            var cols = m.RowIndices(u);
            var vals = m.RowValues(u);
            for (int n = 0; n < cols.Length; n++)
            {
                d[u, cols[n]] = vals[n];
                stored[u, cols[n]] = true;
            }
        }
        return d;
    }

    /// <summary>Confidence and target of one cell, straight from the definitions in the docs.</summary>
    public static (double Confidence, double Target) Cell(double r, bool isStored, AlsFeedback feedback, AlsConfidence confidence, double alpha)
    {
        if (feedback == AlsFeedback.Explicit) return isStored ? (1, r) : (0, 0);
        if (!isStored || r <= 0) return (1, 0);
        return (confidence == AlsConfidence.OnePlusAlphaR ? 1 + alpha * r : alpha * r, 1);
    }

    /// <summary>
    /// Exact minimiser, row by row, of sum_j c_rj (t_rj - x_r · z_j)^2 + lambda |x_r|^2 with the column factors z fixed:
    /// (sum_j c_rj z_j z_j^T + lambda I) x_r = sum_j c_rj t_rj z_j, formed over every column j. When
    /// <paramref name="transposed"/>, rows of the result are the columns of the strength matrix (the item half-step).
    /// </summary>
    public static double[] SolveAllRows(CsrMatrix strengths, float[] fixedFactors, int k, AlsFeedback feedback, AlsConfidence confidence,
        double alpha, double lambda, bool transposed)
    {
        var dense = Dense(strengths, out var stored);
        int rows = transposed ? strengths.Columns : strengths.Rows;
        int cols = transposed ? strengths.Rows : strengths.Columns;
        var result = new double[rows * k];
        for (int row = 0; row < rows; row++)
        {
            var a = new double[k, k];
            var b = new double[k];
            for (int d = 0; d < k; d++) a[d, d] = lambda;
            bool anyPositive = false;
            for (int j = 0; j < cols; j++)
            {
                int u = transposed ? j : row, i = transposed ? row : j;
                var (c, t) = Cell(dense[u, i], stored[u, i], feedback, confidence, alpha);
                if (t != 0) anyPositive = true;
                for (int p = 0; p < k; p++)
                {
                    double zp = fixedFactors[j * k + p];
                    b[p] += c * t * zp;
                    for (int q = 0; q < k; q++) a[p, q] += c * zp * fixedFactors[j * k + q];
                }
            }
            if (!anyPositive) continue; // b = 0: the solution is 0
            var x = Gauss(a, b);
            for (int p = 0; p < k; p++) result[row * k + p] = x[p];
        }
        return result;
    }

    /// <summary>The objective written over the dense matrix: sum over all cells c (t - s)^2 + lambda (|X|^2 + |Y|^2).</summary>
    public static double Objective(CsrMatrix strengths, float[] x, float[] y, int k, AlsFeedback feedback, AlsConfidence confidence, double alpha, double lambda)
    {
        var dense = Dense(strengths, out var stored);
        double loss = 0;
        for (int u = 0; u < strengths.Rows; u++)
            for (int i = 0; i < strengths.Columns; i++)
            {
                var (c, t) = Cell(dense[u, i], stored[u, i], feedback, confidence, alpha);
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)x[u * k + p] * y[i * k + p];
                loss += c * (t - s) * (t - s);
            }
        foreach (float v in x) loss += lambda * v * v;
        foreach (float v in y) loss += lambda * v * v;
        return loss;
    }

    /// <summary>Gaussian elimination with partial pivoting.</summary>
    public static double[] Gauss(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            if (pivot != col)
            {
                for (int c = 0; c < n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                (x[col], x[pivot]) = (x[pivot], x[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double f = m[r, col] / m[col, col];
                if (f == 0) continue;
                for (int c = col; c < n; c++) m[r, c] -= f * m[col, c];
                x[r] -= f * x[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s = x[r];
            for (int c = r + 1; c < n; c++) s -= m[r, c] * x[c];
            x[r] = s / m[r, r];
        }
        return x;
    }

    /// <summary>Largest |a - b| / (1 + |b|).</summary>
    public static double MaxRelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / (1 + Math.Abs(expected[i])));
        return worst;
    }
}
