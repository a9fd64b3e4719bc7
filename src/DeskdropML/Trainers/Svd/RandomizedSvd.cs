using System.Numerics.Tensors;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Svd;

/// <summary>
/// Truncated SVD of a sparse m x n matrix X by the randomized range finder with power iterations (Halko, Martinsson
/// and Tropp, "Finding structure with randomness", SIAM Review 2011, algorithms 4.4 and 5.1).
/// </summary>
/// <remarks>
/// <para>With <c>l = min(k + oversampling, m, n)</c> columns:</para>
/// <code>
/// Ω  = n x l standard normal draws (System.Random(seed), Box-Muller), Q = orth(X Ω)
/// repeat q times:  Q = orth(X orth(Xᵀ Q))                    (power iterations, re-orthonormalised each half)
/// C  = Xᵀ Q (n x l)  = (Qᵀ X)ᵀ;  one-sided Jacobi rotations make the columns of C orthogonal: C J = W
/// </code>
/// <para>Then the columns of W are <c>σ_c v_c</c>: the right singular vectors of <c>Qᵀ X ≈ X</c> scaled by the singular
/// values (<c>σ_c = ||W_c||</c>), sorted by decreasing σ. The left singular vectors (<c>Q J / σ</c>) are not needed:
/// users are projected with <c>x_u V</c>. orth() is modified Gram-Schmidt run twice; a column that vanishes (X of rank
/// below l) stays zero and yields σ = 0. Everything is double precision; the products with X are parallel over rows
/// with fixed summation order, the rest sequential, so the result depends on the seed only.</para>
/// </remarks>
internal static class RandomizedSvd
{
    /// <summary>The first <paramref name="k"/> columns of W (n x k, row-major, σ_c v_c) and their σ_c, decreasing.</summary>
    public static (double[] ScaledItemVectors, double[] SingularValues) Compute(CsrMatrix x, int k, int oversampling, int powerIterations, int seed, int threads)
    {
        int m = x.Rows, n = x.Columns;
        int l = Math.Min(k + oversampling, Math.Min(m, n));
        var byItem = x.Transpose();
        var omega = Gaussian(n, l, seed);
        var q = Multiply(x, omega, l, threads);
        Orthonormalize(q, m, l);
        for (int t = 0; t < powerIterations; t++)
        {
            var z = Multiply(byItem, q, l, threads);
            Orthonormalize(z, n, l);
            q = Multiply(x, z, l, threads);
            Orthonormalize(q, m, l);
        }
        var w = Multiply(byItem, q, l, threads);
        OneSidedJacobi(w, n, l);

        var sigma = new double[l];
        for (long i = 0; i < n; i++)
            for (int c = 0; c < l; c++) sigma[c] += w[i * l + c] * w[i * l + c];
        for (int c = 0; c < l; c++) sigma[c] = Math.Sqrt(sigma[c]);
        var order = Enumerable.Range(0, l).OrderByDescending(c => sigma[c]).ThenBy(c => c).Take(k).ToArray();
        var vectors = new double[(long)n * k];
        var values = new double[k];
        for (int c = 0; c < k; c++)
        {
            values[c] = sigma[order[c]];
            for (int i = 0; i < n; i++) vectors[(long)i * k + c] = w[(long)i * l + order[c]];
        }
        return (vectors, values);
    }

    /// <summary>n x l standard normal values, row-major, from System.Random(seed) through the Box-Muller transform.</summary>
    private static double[] Gaussian(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new double[(long)rows * columns];
        for (long p = 0; p < values.Length; p += 2)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            values[p] = radius * Math.Cos(2 * Math.PI * u2);
            if (p + 1 < values.Length) values[p + 1] = radius * Math.Sin(2 * Math.PI * u2);
        }
        return values;
    }

    /// <summary><c>A D</c> for a sparse A (rows x cols) and a dense D (cols x l, row-major): rows x l, row-major.</summary>
    private static double[] Multiply(CsrMatrix a, double[] d, int l, int threads)
    {
        var result = new double[(long)a.Rows * l];
        Parallel.For(0, a.Rows, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
        {
            var indices = a.RowIndices(r);
            var values = a.RowValues(r);
            var target = result.AsSpan((int)((long)r * l), l);
            for (int p = 0; p < indices.Length; p++)
                TensorPrimitives.MultiplyAdd(d.AsSpan((int)((long)indices[p] * l), l), values[p], target, target);
        });
        return result;
    }

    /// <summary>The l columns of a row-major rows x l array, each made contiguous: result[c * rows + r] = a[r * l + c].</summary>
    private static double[] Columns(double[] a, int rows, int l)
    {
        var columns = new double[a.Length];
        for (long r = 0; r < rows; r++)
            for (int c = 0; c < l; c++) columns[c * (long)rows + r] = a[r * l + c];
        return columns;
    }

    /// <summary>Writes contiguous columns back into the row-major array.</summary>
    private static void Rows(double[] columns, double[] a, int rows, int l)
    {
        for (long r = 0; r < rows; r++)
            for (int c = 0; c < l; c++) a[r * l + c] = columns[c * (long)rows + r];
    }

    /// <summary>
    /// Modified Gram-Schmidt on the l columns of a (rows x l, row-major), run twice; a column that vanishes (norm below
    /// 1e-12 of its original norm) becomes zero. Works on a contiguous copy of the columns.
    /// </summary>
    private static void Orthonormalize(double[] a, int rows, int l)
    {
        var columns = Columns(a, rows, l);
        Span<double> Column(int c) => columns.AsSpan(c * rows, rows);
        var original = new double[l];
        for (int c = 0; c < l; c++) original[c] = TensorPrimitives.Norm<double>(Column(c));
        for (int pass = 0; pass < 2; pass++)
        {
            for (int c = 0; c < l; c++)
            {
                var column = Column(c);
                for (int d = 0; d < c; d++)
                {
                    double projection = TensorPrimitives.Dot<double>(column, Column(d));
                    if (projection != 0) TensorPrimitives.MultiplyAdd(Column(d), -projection, column, column);
                }
                double norm = TensorPrimitives.Norm<double>(column);
                TensorPrimitives.Multiply(column, norm > 1e-12 * original[c] && norm > 0 ? 1 / norm : 0, column);
            }
        }
        Rows(columns, a, rows, l);
    }

    /// <summary>
    /// Rotates pairs of columns of a (rows x l, row-major) until every pair is orthogonal to working precision (Hestenes'
    /// one-sided Jacobi): for columns p, q with <c>α = |a_p|², β = |a_q|², γ = a_p · a_q</c>, the rotation with
    /// <c>t = sign(ζ) / (|ζ| + sqrt(1 + ζ²))</c>, <c>ζ = (β - α) / (2γ)</c>, <c>c = 1 / sqrt(1 + t²)</c>, <c>s = c t</c>
    /// zeroes γ. At most 60 sweeps. Works on a contiguous copy of the columns.
    /// </summary>
    private static void OneSidedJacobi(double[] a, int rows, int l)
    {
        var columns = Columns(a, rows, l);
        Span<double> Column(int c) => columns.AsSpan(c * rows, rows);
        var scratch = new double[rows];
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < l - 1; p++)
            {
                for (int q = p + 1; q < l; q++)
                {
                    Span<double> ap = Column(p), aq = Column(q);
                    double alpha = TensorPrimitives.Dot<double>(ap, ap), beta = TensorPrimitives.Dot<double>(aq, aq), gamma = TensorPrimitives.Dot<double>(ap, aq);
                    if (gamma == 0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta)) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = zeta == 0 ? 1 : Math.Sign(zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    double cos = 1 / Math.Sqrt(1 + t * t), sin = cos * t;
                    ap.CopyTo(scratch);                                       // old a_p
                    TensorPrimitives.Multiply(ap, cos, ap);
                    TensorPrimitives.MultiplyAdd(aq, -sin, ap, ap);           // a_p = c a_p - s a_q
                    TensorPrimitives.Multiply(aq, cos, aq);
                    TensorPrimitives.MultiplyAdd(scratch, sin, aq, aq);       // a_q = s a_p + c a_q
                }
            }
            if (!rotated) break;
        }
        Rows(columns, a, rows, l);
    }
}
