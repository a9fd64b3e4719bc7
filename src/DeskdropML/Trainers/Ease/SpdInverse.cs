using System.Numerics.Tensors;

namespace DeskdropML.Trainers.Ease;

/// <summary>
/// In-place inverse of a dense symmetric positive definite matrix through its Cholesky factor:
/// <c>A = L Lᵀ</c>, <c>Z = L⁻ᵀ</c> (upper triangular), <c>A⁻¹ = Z Zᵀ</c>.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> One row-major n x n array of doubles and two vectors of n: the input is read from the lower
/// triangle (diagonal included); L overwrites it; Z is written to the strict upper triangle with its diagonal
/// <c>1 / L_ii</c> kept aside; the result <c>P = A⁻¹</c> is written to the lower triangle (diagonal included) while Z
/// is read from the strict upper one. Memory: <c>8 n²</c> bytes plus <c>O(n)</c>.</para>
/// <para><b>Work.</b> About <c>n³/6</c> multiply-adds in each of the three steps (<c>n³</c> flops in all, as LAPACK's
/// <c>potrf</c> + <c>potri</c>). Every step is blocked into panels of <see cref="Block"/> rows and column chunks of
/// <see cref="Chunk"/> doubles so that the operands of the inner loop stay in the L1/L2 caches, and its bulk runs in
/// <see cref="RowDotKernel"/> (16 row-by-row dot products at once); the triangular part inside a panel is a forward
/// substitution per row that updates the remaining sums with vectorised multiply-adds along a stored column of the
/// panel's diagonal block. The formulas (0-based, k ranges half-open):
/// <code>
/// Cholesky : L_ij = (A_ij - Σ_{k&lt;j} L_ik L_jk) / L_jj,   L_jj = sqrt(A_jj - Σ_{k&lt;j} L_jk²)
/// inverse  : Z_jj = 1 / L_jj,   Z_ji = -Z_ii (L_ij Z_jj + Σ_{k∈(j,i)} L_ik Z_jk)   for j &lt; i
/// product  : P_ij = Σ_{k≥i} Z_ik Z_jk                                           for j ≤ i
/// </code></para>
/// <para><b>Threads and determinism.</b> Panels are distributed over threads, and each output element is produced by
/// one thread with a fixed sequence of operations, so the result is bit-identical for every thread count.</para>
/// </remarks>
internal static class SpdInverse
{
    /// <summary>Rows per panel (a multiple of 4).</summary>
    private const int Block = 64;

    /// <summary>Columns per cache chunk.</summary>
    private const int Chunk = 256;

    /// <summary>
    /// Replaces the lower triangle (diagonal included) of <paramref name="a"/> by that of <c>A⁻¹</c>; the strict upper
    /// triangle is used as scratch. <c>A⁻¹_ij</c> for <c>j &gt; i</c> is <c>a[j n + i]</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A pivot is not positive: the matrix is not numerically positive
    /// definite (the message names the row).</exception>
    public static void InvertLower(double[] a, int n, int threads)
    {
        var inverseDiagonal = new double[n];
        Cholesky(a, n, threads, inverseDiagonal);
        InvertFactor(a, n, threads, inverseDiagonal);
        MultiplyFactor(a, n, threads, inverseDiagonal);
    }

    private static void ForEachBlock(int first, int end, int threads, Action<int, int> body)
    {
        int blocks = (end - first + Block - 1) / Block;
        if (blocks <= 0) return;
        if (threads <= 1 || blocks == 1)
        {
            for (int b = 0; b < blocks; b++) body(first + b * Block, Math.Min(end, first + (b + 1) * Block));
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            b => body(first + b * Block, Math.Min(end, first + (b + 1) * Block)));
    }

    /// <summary>Row offset of row <c>min(row, last)</c>: rows past the end of a group repeat the last valid row.</summary>
    private static long Row(int row, int last, int n) => (long)Math.Min(row, last) * n;

    /// <summary>
    /// <c>sums[4 r + c] = Σ_{k∈[k0, k1)} a[x + r, k] a[y + c, k]</c> for the groups of four rows starting at x and y;
    /// rows past <paramref name="xLast"/> / <paramref name="yLast"/> repeat the last valid row (their sums are discarded).
    /// </summary>
    private static void Dot4x4(double[] a, int n, int x, int xLast, int y, int yLast, int k0, int k1, Span<double> sums)
    {
        sums.Clear();
        RowDotKernel.Dot4x4(a, Row(x, xLast, n), Row(x + 1, xLast, n), Row(x + 2, xLast, n), Row(x + 3, xLast, n),
            Row(y, yLast, n), Row(y + 1, yLast, n), Row(y + 2, yLast, n), Row(y + 3, yLast, n), k0, k1, sums);
    }

    private static void Cholesky(double[] a, int n, int threads, double[] inverseDiagonal)
    {
        for (int j0 = 0; j0 < n; j0 += Block)
        {
            int j1 = Math.Min(j0 + Block, n);
            if (j0 > 0)
            {
                // Left-looking update of the panel's columns: A_ij -= Σ_{k<j0} L_ik L_jk for rows i ≥ j0, j ∈ [j0, j1), j ≤ i.
                ForEachBlock(j0, n, threads, (r0, r1) =>
                {
                    Span<double> sums = stackalloc double[16];
                    for (int c0 = 0; c0 < j0; c0 += Chunk)
                    {
                        int c1 = Math.Min(c0 + Chunk, j0);
                        for (int jg = j0; jg < j1; jg += 4)
                        {
                            for (int ig = r0; ig < r1; ig += 4)
                            {
                                if (ig + 3 < jg) continue;
                                Dot4x4(a, n, ig, r1 - 1, jg, j1 - 1, c0, c1, sums);
                                for (int r = 0; r < 4 && ig + r < r1; r++)
                                    for (int c = 0; c < 4 && jg + c < j1 && jg + c <= ig + r; c++)
                                        a[(long)(ig + r) * n + jg + c] -= sums[4 * r + c];
                            }
                        }
                    }
                });
            }
            // The diagonal block (sequential), then the rows below it (independent): row i solves x L_JJᵀ = A_iJ by
            // forward substitution, x_j = s_j / L_jj followed by s -= x_j (column j of L_JJ).
            int m = j1 - j0;
            var columns = new double[m * m]; // columns[c * m + r] = L_{j0 + r, j0 + c}
            for (int j = j0; j < j1; j++)
            {
                long rowJ = (long)j * n;
                double pivot = a[rowJ + j] - TensorPrimitives.Dot(a.AsSpan((int)(rowJ + j0), j - j0), a.AsSpan((int)(rowJ + j0), j - j0));
                if (!(pivot > 0) || !double.IsFinite(pivot))
                    throw new InvalidOperationException($"The matrix is not numerically positive definite (pivot {pivot:G4} at row {j}).");
                double l = Math.Sqrt(pivot);
                a[rowJ + j] = l;
                inverseDiagonal[j] = 1 / l;
                for (int i = j + 1; i < j1; i++)
                {
                    long rowI = (long)i * n;
                    a[rowI + j] = (a[rowI + j] - TensorPrimitives.Dot(a.AsSpan((int)(rowI + j0), j - j0), a.AsSpan((int)(rowJ + j0), j - j0))) / l;
                }
                for (int r = j - j0; r < m; r++) columns[(j - j0) * m + r] = a[(long)(j0 + r) * n + j];
            }
            ForEachBlock(j1, n, threads, (r0, r1) =>
            {
                for (int i = r0; i < r1; i++)
                {
                    var s = a.AsSpan((int)((long)i * n + j0), m);
                    for (int c = 0; c < m; c++)
                    {
                        double x = s[c] / columns[c * m + c];
                        s[c] = x;
                        if (c + 1 < m) TensorPrimitives.MultiplyAdd(columns.AsSpan(c * m + c + 1, m - c - 1), -x, s[(c + 1)..], s[(c + 1)..]);
                    }
                }
            });
        }
    }

    private static void InvertFactor(double[] a, int n, int threads, double[] zDiagonal)
    {
        for (int i0 = 0; i0 < n; i0 += Block)
        {
            int i1 = Math.Min(i0 + Block, n);
            int m = i1 - i0;
            var columns = new double[m * m]; // columns[c * m + r] = L_{i0 + r, i0 + c} (lower part only)
            for (int c = 0; c < m; c++)
                for (int r = c; r < m; r++) columns[c * m + r] = a[(long)(i0 + r) * n + i0 + c];
            // Every row j < i1 of Z gets its entries in columns [i0, i1) right of its diagonal; rows are independent.
            ForEachBlock(0, i1, threads, (r0, r1) =>
            {
                for (int j = r0; j < r1; j++)
                    for (int i = Math.Max(i0, j + 1); i < i1; i++) a[(long)j * n + i] = 0;
                // Bulk: T_ji = Σ_{k∈[jg+4, i0)} Z_jk L_ik for each group of four rows starting at jg.
                Span<double> sums = stackalloc double[16];
                for (int c0 = 0; c0 < i0; c0 += Chunk)
                {
                    int c1 = Math.Min(c0 + Chunk, i0);
                    for (int ig = i0; ig < i1; ig += 4)
                    {
                        for (int jg = r0; jg < r1; jg += 4)
                        {
                            int k0 = Math.Max(c0, jg + 4);
                            if (k0 >= c1) continue;
                            Dot4x4(a, n, jg, r1 - 1, ig, i1 - 1, k0, c1, sums);
                            for (int r = 0; r < 4 && jg + r < r1; r++)
                                for (int c = 0; c < 4 && ig + c < i1; c++)
                                    a[(long)(jg + r) * n + ig + c] += sums[4 * r + c];
                        }
                    }
                }
                // The rest of each sum: the few columns before the group's bulk start and the diagonal term; then the
                // panel's own columns by forward substitution, Z_ji = -Z_ii s_i followed by s += Z_ji (column i of L_II).
                for (int j = r0; j < r1; j++)
                {
                    long rowJ = (long)j * n;
                    int groupEnd = Math.Min((j & ~3) + 4, i0);
                    int first = Math.Max(i0, j + 1);
                    for (int i = first; i < i1; i++)
                    {
                        long rowI = (long)i * n;
                        double s = a[rowJ + i];
                        for (int k = j + 1; k < groupEnd; k++) s += a[rowJ + k] * a[rowI + k];
                        a[rowJ + i] = s + a[rowI + j] * zDiagonal[j];
                    }
                    var partial = a.AsSpan((int)(rowJ + i0), m);
                    for (int c = first - i0; c < m; c++)
                    {
                        double z = -zDiagonal[i0 + c] * partial[c];
                        partial[c] = z;
                        if (c + 1 < m) TensorPrimitives.MultiplyAdd(columns.AsSpan(c * m + c + 1, m - c - 1), z, partial[(c + 1)..], partial[(c + 1)..]);
                    }
                }
            });
        }
    }

    private static void MultiplyFactor(double[] a, int n, int threads, double[] zDiagonal)
    {
        ForEachBlock(0, n, threads, (r0, r1) =>
        {
            // The k = i term and the few columns between the diagonal and the group's bulk start.
            for (int i = r0; i < r1; i++)
            {
                long rowI = (long)i * n;
                int groupEnd = Math.Min((i & ~3) + 4, n);
                for (int j = 0; j <= i; j++)
                {
                    long rowJ = (long)j * n;
                    double s = zDiagonal[i] * (j == i ? zDiagonal[i] : a[rowJ + i]);
                    for (int k = i + 1; k < groupEnd; k++) s += a[rowI + k] * a[rowJ + k];
                    a[rowI + j] = s;
                }
            }
            // Bulk: P_ij += Σ_{k ≥ ig+4} Z_ik Z_jk for the group of four rows starting at ig and every j ≤ i.
            Span<double> sums = stackalloc double[16];
            int bulkStart = (r0 & ~3) + 4;
            for (int c0 = bulkStart - bulkStart % Chunk; c0 < n; c0 += Chunk)
            {
                int c1 = Math.Min(c0 + Chunk, n);
                for (int jg = 0; jg < r1; jg += 4)
                {
                    for (int ig = Math.Max(r0, jg & ~3); ig < r1; ig += 4)
                    {
                        int k0 = Math.Max(c0, ig + 4);
                        if (k0 >= c1) continue;
                        Dot4x4(a, n, ig, r1 - 1, jg, n - 1, k0, c1, sums);
                        for (int r = 0; r < 4 && ig + r < r1; r++)
                            for (int c = 0; c < 4 && jg + c <= ig + r; c++)
                                a[(long)(ig + r) * n + jg + c] += sums[4 * r + c];
                    }
                }
            }
        });
    }
}
