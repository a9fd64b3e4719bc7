using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// Solves the regularised normal equations of one row (a user against fixed item factors, or an item against fixed
/// user factors). With the fixed factors Y (one k-vector per column) and the row's stored entries S:
/// <code>
/// A = G + lambda I + sum over i in S of w_i y_i y_i^T,     b = sum over i in S of b_i y_i
/// </code>
/// where G = Y^T Y for implicit feedback (0 for explicit) and <c>w_i, b_i</c> come from
/// <see cref="AlsSolveSettings.EntryTerms"/>. For implicit feedback this is exactly
/// <c>(Y^T C_u Y + lambda I) x = Y^T C_u p(u)</c>, with the <c>Y^T (C_u - I) Y</c> correction summed only over the
/// row's stored entries. A row without contributing entries has b = 0 and gets the exact solution x = 0.
/// </summary>
internal sealed class AlsRowSolver
{
    /// <summary>
    /// How many entries ahead the gather loop prefetches fixed factor rows, and how many entries of the next row
    /// <see cref="PrefetchRow"/> requests while the current row is solved.
    /// </summary>
    private const int PrefetchDistance = 24;

    private readonly AlsSolveSettings _settings;
    private readonly float[] _fixedFactors;
    private readonly float[]? _gram;

    /// <param name="settings">Loss and solver settings.</param>
    /// <param name="fixedFactors">Row-major factors of the other side (column index * k).</param>
    /// <param name="gram">Full k x k <c>Y^T Y</c> (implicit feedback) or null (explicit).</param>
    public AlsRowSolver(AlsSolveSettings settings, float[] fixedFactors, float[]? gram)
    {
        _settings = settings;
        _fixedFactors = fixedFactors;
        _gram = gram;
    }

    /// <summary>Per-thread work buffers (no allocation per row).</summary>
    public sealed class Scratch
    {
        /// <summary>Creates buffers for k factors and rows of up to <paramref name="maxRowLength"/> entries.</summary>
        public Scratch(int k, int maxRowLength)
        {
            Residual = new float[k];
            Direction = new float[k];
            MatrixTimesDirection = new float[k];
            Matrix = new float[k * k];
            EntryWeights = new float[maxRowLength];
            EntryTargets = new float[maxRowLength];
            Coefficients = new float[maxRowLength];
            Gathered = new float[(long)maxRowLength * k];
        }

        internal float[] Residual { get; }
        internal float[] Direction { get; }
        internal float[] MatrixTimesDirection { get; }
        internal float[] Matrix { get; }
        internal float[] EntryWeights { get; }
        internal float[] EntryTargets { get; }
        internal float[] Coefficients { get; }
        internal float[] Gathered { get; }
    }

    /// <summary>
    /// Prefetches the fixed factor rows of the first entries of a row that will be solved next (the gather loop
    /// prefetches the rest as it goes), so the first copies of that row do not wait for memory.
    /// </summary>
    public void PrefetchRow(ReadOnlySpan<int> columns)
    {
        int k = _settings.Factors;
        ref float fixed0 = ref MemoryMarshal.GetArrayDataReference(_fixedFactors);
        int m = Math.Min(PrefetchDistance, columns.Length);
        for (int n = 0; n < m; n++) AlsKernels.Prefetch(ref Unsafe.Add(ref fixed0, (nint)columns[n] * k), k);
    }

    /// <summary>
    /// Solves one row. <paramref name="x"/> holds the warm start on entry (used by conjugate gradient) and the
    /// solution on return.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(ReadOnlySpan<int> columns, ReadOnlySpan<float> strengths, Span<float> x, Scratch scratch)
    {
        // Gather the contributing entries: their terms and their fixed factor vectors, contiguous (cache friendly for
        // the several passes below).
        // The fixed factor rows are random accesses (the profile's largest item before this loop prefetched): each
        // row's cache lines are requested PrefetchDistance entries before they are copied.
        int k = _settings.Factors;
        int count = 0;
        ref float fixed0 = ref MemoryMarshal.GetArrayDataReference(_fixedFactors);
        ref float gathered0 = ref MemoryMarshal.GetArrayDataReference(scratch.Gathered);
        for (int n = 0; n < columns.Length; n++)
        {
            if (n + PrefetchDistance < columns.Length)
                AlsKernels.Prefetch(ref Unsafe.Add(ref fixed0, (nint)columns[n + PrefetchDistance] * k), k);
            if (!_settings.EntryTerms(strengths[n], out float w, out float b)) continue;
            scratch.EntryWeights[count] = w;
            scratch.EntryTargets[count] = b;
            AlsKernels.CopyShort(ref Unsafe.Add(ref fixed0, (nint)columns[n] * k), ref Unsafe.Add(ref gathered0, (nint)count * k), k);
            count++;
        }
        if (count == 0)
        {
            x.Clear(); // b = 0, so the exact solution is 0
            return;
        }
        if (_settings.Solver == AlsSolver.Cholesky) SolveCholesky(count, x, scratch);
        else SolveConjugateGradient(count, x, scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SolveCholesky(int count, Span<float> x, Scratch scratch)
    {
        int k = _settings.Factors;
        Span<float> a = scratch.Matrix;
        if (_gram is null) a.Clear();
        else _gram.AsSpan().CopyTo(a);
        float lambda = _settings.Regularization;
        for (int d = 0; d < k; d++) a[d * k + d] += lambda;
        x.Clear();
        AlsKernels.AddWeightedOuterUpper(scratch.Gathered.AsSpan(0, count * k), scratch.EntryWeights.AsSpan(0, count), a, k);
        for (int n = 0; n < count; n++)
            AlsKernels.MultiplyAdd(scratch.Gathered.AsSpan(n * k, k), scratch.EntryTargets[n], x);
        if (!AlsKernels.FactorUpper(a, k, scratch.Direction))
            throw new InvalidOperationException(
                "The ALS normal matrix is not numerically positive definite; increase Regularization (it must be > 0 for explicit feedback rows with fewer entries than factors).");
        AlsKernels.CholeskySolveUpper(a, scratch.Direction, k, x, scratch.Residual);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SolveConjugateGradient(int count, Span<float> x, Scratch scratch)
    {
        int k = _settings.Factors;
        float lambda = _settings.Regularization;
        Span<float> r = scratch.Residual;
        Span<float> p = scratch.Direction;
        Span<float> ap = scratch.MatrixTimesDirection;
        ReadOnlySpan<float> weights = scratch.EntryWeights.AsSpan(0, count);
        ReadOnlySpan<float> targets = scratch.EntryTargets.AsSpan(0, count);

        // r = b - A x = -(G + lambda I) x + sum_i (b_i - w_i (y_i · x)) y_i
        if (_gram is null) r.Clear();
        else AlsKernels.SymmetricMatVec(_gram, x, r);
        AlsKernels.MultiplyAdd(x, lambda, r);
        for (int d = 0; d < k; d++) r[d] = -r[d];
        Span<float> t = scratch.Coefficients.AsSpan(0, count);
        ReadOnlySpan<float> gathered = scratch.Gathered.AsSpan(0, count * k);
        bool fused = AlsKernels.CanFuseRows(k);
        if (fused) AlsKernels.AddWeightedProjections(gathered, weights, targets, x, r, k);
        else
        {
            for (int n = 0; n < count; n++) t[n] = targets[n] - weights[n] * AlsKernels.Dot(gathered.Slice(n * k, k), x);
            AddRows(gathered, t, r, k);
        }
        r.CopyTo(p);
        float rsOld = AlsKernels.Dot(r, r);
        if (rsOld < 1e-20f) return;
        for (int step = 0; step < _settings.ConjugateGradientSteps; step++)
        {
            // ap = A p, matrix-free.
            if (_gram is null) ap.Clear();
            else AlsKernels.SymmetricMatVec(_gram, p, ap);
            AlsKernels.MultiplyAdd(p, lambda, ap);
            // ap += Yu^T (w .* (Yu p)): one fused pass per entry when k allows it, else all dot products first, then
            // fused 8-row updates of ap.
            if (fused) AlsKernels.AddWeightedProjections(gathered, weights, ReadOnlySpan<float>.Empty, p, ap, k);
            else
            {
                for (int n = 0; n < count; n++)
                {
                    float w = weights[n];
                    t[n] = w == 0f ? 0f : w * AlsKernels.Dot(gathered.Slice(n * k, k), p);
                }
                AddRows(gathered, t, ap, k);
            }
            float pAp = AlsKernels.Dot(p, ap);
            if (!(pAp > 0f)) break;
            float alpha = rsOld / pAp;
            AlsKernels.MultiplyAdd(p, alpha, x);
            AlsKernels.MultiplyAdd(ap, -alpha, r);
            float rsNew = AlsKernels.Dot(r, r);
            if (rsNew < 1e-20f) break;
            float beta = rsNew / rsOld;
            // p = r + beta p
            for (int d = 0; d < k; d++) p[d] = r[d] + beta * p[d];
            rsOld = rsNew;
        }
    }

    /// <summary><c>dst += sum_n coefficients[n] * row_n</c> for the contiguous k-float rows of <paramref name="rows"/>.</summary>
    private static void AddRows(ReadOnlySpan<float> rows, ReadOnlySpan<float> coefficients, Span<float> dst, int k)
    {
        ref float r0 = ref MemoryMarshal.GetReference(rows);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        for (int n0 = 0; n0 < coefficients.Length; n0 += 8)
        {
            int m = Math.Min(8, coefficients.Length - n0);
            AlsKernels.MultiplyAddRows(ref Unsafe.Add(ref r0, n0 * k), k, coefficients.Slice(n0, m), ref d0, k);
        }
    }
}
