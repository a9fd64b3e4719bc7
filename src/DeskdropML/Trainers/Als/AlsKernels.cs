using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// Small dense kernels for the ALS inner loops on k-vectors and k x k row-major matrices (k = number of factors).
/// They are inlined loops over <see cref="Vector256{T}"/> with a scalar tail: the spans are short (k is typically
/// 16..128), so a call per row through a general-purpose library would cost more than the arithmetic.
/// </summary>
internal static class AlsKernels
{
    /// <summary>Returns <c>x · y</c> over the first <paramref name="n"/> entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float x, ref float y, int n)
    {
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                acc0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref y, (nuint)i), acc0);
                acc1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, (nuint)(i + 16)), Vector512.LoadUnsafe(ref y, (nuint)(i + 16)), acc1);
            }
            if (i <= n - 16)
            {
                acc0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref y, (nuint)i), acc0);
                i += 16;
            }
            acc0 += acc1;
            if (i <= n - 8)
            {
                var tail = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i), acc0.GetLower());
                acc0 = Vector512.Create(tail, acc0.GetUpper());
                i += 8;
            }
            sum = Vector512.Sum(acc0);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i), acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, (nuint)(i + 8)), Vector256.LoadUnsafe(ref y, (nuint)(i + 8)), acc1);
            }
            if (i <= n - 8)
            {
                acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i), acc0);
                i += 8;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        return sum;
    }

    /// <summary>Returns <c>x · y</c>; the spans must have equal length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
        Dot(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), x.Length);

    /// <summary><c>dst[0..n) += s * x[0..n)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(ref float x, float s, ref float dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vs = Vector512.Create(s);
            for (; i <= n - 16; i += 16)
            {
                var d = Vector512.LoadUnsafe(ref dst, (nuint)i);
                Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, (nuint)i), vs, d).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated && i <= n - 8)
        {
            var vs = Vector256.Create(s);
            for (; i <= n - 8; i += 8)
            {
                var d = Vector256.LoadUnsafe(ref dst, (nuint)i);
                Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, (nuint)i), vs, d).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref dst, i) += s * Unsafe.Add(ref x, i);
    }

    /// <summary><c>dst += s * x</c>; the spans must have equal length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(ReadOnlySpan<float> x, float s, Span<float> dst) =>
        MultiplyAdd(ref MemoryMarshal.GetReference(x), s, ref MemoryMarshal.GetReference(dst), x.Length);

    /// <summary>
    /// <c>dst[0..n) += sum over r of coefficients[r] * src_r[0..n)</c> where row r starts <c>r * stride</c> floats after
    /// <paramref name="src"/>: a fused rank-m update that loads and stores <paramref name="dst"/> once for m rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddRows(ref float src, int stride, ReadOnlySpan<float> coefficients, ref float dst, int n)
    {
        int m = coefficients.Length;
        int i = 0;
        if (m == 8 && Vector512.IsHardwareAccelerated && n >= 16)
        {
            // The common full block: coefficients broadcast once, two accumulation chains per chunk.
            var c0 = Vector512.Create(coefficients[0]);
            var c1 = Vector512.Create(coefficients[1]);
            var c2 = Vector512.Create(coefficients[2]);
            var c3 = Vector512.Create(coefficients[3]);
            var c4 = Vector512.Create(coefficients[4]);
            var c5 = Vector512.Create(coefficients[5]);
            var c6 = Vector512.Create(coefficients[6]);
            var c7 = Vector512.Create(coefficients[7]);
            nuint st = (nuint)stride;
            for (; i <= n - 16; i += 16)
            {
                nuint o = (nuint)i;
                var lo = Vector512.LoadUnsafe(ref dst, o);
                lo = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref src, o), c0, lo);
                var hi = Vector512.LoadUnsafe(ref src, o + 4 * st) * c4;
                lo = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref src, o + st), c1, lo);
                hi = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref src, o + 5 * st), c5, hi);
                lo = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref src, o + 2 * st), c2, lo);
                hi = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref src, o + 6 * st), c6, hi);
                lo = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref src, o + 3 * st), c3, lo);
                hi = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref src, o + 7 * st), c7, hi);
                (lo + hi).StoreUnsafe(ref dst, o);
            }
        }
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var acc = Vector512.LoadUnsafe(ref dst, (nuint)i);
                for (int r = 0; r < m; r++)
                    acc = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref src, (nuint)(r * stride + i)), Vector512.Create(coefficients[r]), acc);
                acc.StoreUnsafe(ref dst, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var acc = Vector256.LoadUnsafe(ref dst, (nuint)i);
                for (int r = 0; r < m; r++)
                    acc = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref src, (nuint)(r * stride + i)), Vector256.Create(coefficients[r]), acc);
                acc.StoreUnsafe(ref dst, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float acc = Unsafe.Add(ref dst, i);
            for (int r = 0; r < m; r++) acc += coefficients[r] * Unsafe.Add(ref src, r * stride + i);
            Unsafe.Add(ref dst, i) = acc;
        }
    }

    /// <summary>
    /// Adds <c>sum over e of w_e y_e y_e^T</c> to the upper triangle of the k x k row-major matrix <paramref name="upper"/>,
    /// for the <c>weights.Length</c> vectors stored contiguously (row-major, k each) in <paramref name="vectors"/>.
    /// Processes up to 8 vectors per pass with <see cref="MultiplyAddRows"/>. Entries of the strict lower triangle within
    /// 7 columns of the diagonal receive meaningless values (callers use only the upper triangle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddOuterUpperMany(ReadOnlySpan<float> vectors, ReadOnlySpan<float> weights, Span<float> upper, int k)
    {
        Span<float> coefficients = stackalloc float[8];
        ref float v0 = ref MemoryMarshal.GetReference(vectors);
        ref float a0 = ref MemoryMarshal.GetReference(upper);
        for (int e0 = 0; e0 < weights.Length; e0 += 8)
        {
            int m = Math.Min(8, weights.Length - e0);
            Span<float> c = coefficients[..m];
            ref float block = ref Unsafe.Add(ref v0, e0 * k);
            for (int a = 0; a < k; a++)
            {
                for (int e = 0; e < m; e++) c[e] = weights[e0 + e] * Unsafe.Add(ref block, e * k + a);
                int start = a & ~7;
                MultiplyAddRows(ref Unsafe.Add(ref block, start), k, c, ref Unsafe.Add(ref a0, a * k + start), k - start);
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="n"/> floats from <paramref name="source"/> to <paramref name="destination"/> (the ranges
    /// must not overlap). Inlined 512-bit moves for whole 16-float chunks: a factor row is 128–512 bytes, where a call
    /// into <c>Span.CopyTo</c> costs as much as the copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyShort(ref float source, ref float destination, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) Vector512.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref destination, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i);
    }

    /// <summary>
    /// Asks the processor to bring the cache lines of <paramref name="n"/> floats at <paramref name="x"/> into L1 (a
    /// hint: no effect on results, no fault on any address). The address is read without pinning; if the GC moved the
    /// array meanwhile the hint is merely wasted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(ref float x, int n)
    {
        if (!Sse.IsSupported) return;
        byte* p = (byte*)Unsafe.AsPointer(ref x);
        for (int b = 0; b < n * sizeof(float); b += 64) Sse.Prefetch0(p + b);
    }

    /// <summary>
    /// The fused pass of conjugate gradient over a row's gathered entries: for the <c>weights.Length</c> k-vectors
    /// <c>y_n</c> stored contiguously in <paramref name="rows"/>,
    /// <code>
    /// acc += sum_n c_n y_n,   c_n = w_n (y_n · v)              (targets empty: the product Y^T W Y v)
    ///                         c_n = t_n - w_n (y_n · v)        (targets given: the residual Y^T (t - W Y v))
    /// </code>
    /// Each y_n is read once for its dot product and its update (four entries per pass, so that four dot-product
    /// reductions overlap). Requires <paramref name="k"/> to be a multiple of 16 and 512-bit vectors (see
    /// <see cref="CanFuseRows"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddWeightedProjections(ReadOnlySpan<float> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> targets,
        ReadOnlySpan<float> v, Span<float> acc, int k)
    {
        int count = weights.Length;
        bool residual = !targets.IsEmpty;
        ref float y = ref MemoryMarshal.GetReference(rows);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        ref float a0 = ref MemoryMarshal.GetReference(acc);
        int n = 0;
        for (; n + 3 < count; n += 4)
        {
            // Four entries per pass: four independent dot-product reductions in flight.
            ref float y0 = ref Unsafe.Add(ref y, n * k);
            ref float y1 = ref Unsafe.Add(ref y0, k);
            ref float y2 = ref Unsafe.Add(ref y1, k);
            ref float y3 = ref Unsafe.Add(ref y2, k);
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            var s2 = Vector512<float>.Zero;
            var s3 = Vector512<float>.Zero;
            for (int c = 0; c < k; c += 16)
            {
                var vc = Vector512.LoadUnsafe(ref v0, (nuint)c);
                s0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y0, (nuint)c), vc, s0);
                s1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y1, (nuint)c), vc, s1);
                s2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y2, (nuint)c), vc, s2);
                s3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y3, (nuint)c), vc, s3);
            }
            float c0 = weights[n] * Vector512.Sum(s0);
            float c1 = weights[n + 1] * Vector512.Sum(s1);
            float c2 = weights[n + 2] * Vector512.Sum(s2);
            float c3 = weights[n + 3] * Vector512.Sum(s3);
            if (residual)
            {
                c0 = targets[n] - c0;
                c1 = targets[n + 1] - c1;
                c2 = targets[n + 2] - c2;
                c3 = targets[n + 3] - c3;
            }
            var b0 = Vector512.Create(c0);
            var b1 = Vector512.Create(c1);
            var b2 = Vector512.Create(c2);
            var b3 = Vector512.Create(c3);
            for (int c = 0; c < k; c += 16)
            {
                var a = Vector512.LoadUnsafe(ref a0, (nuint)c);
                a = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y0, (nuint)c), b0, a);
                var e = Vector512.LoadUnsafe(ref y2, (nuint)c) * b2;
                a = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y1, (nuint)c), b1, a);
                e = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y3, (nuint)c), b3, e);
                (a + e).StoreUnsafe(ref a0, (nuint)c);
            }
        }
        for (; n + 1 < count; n += 2)
        {
            ref float y0 = ref Unsafe.Add(ref y, n * k);
            ref float y1 = ref Unsafe.Add(ref y0, k);
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            for (int c = 0; c < k; c += 16)
            {
                var vc = Vector512.LoadUnsafe(ref v0, (nuint)c);
                s0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y0, (nuint)c), vc, s0);
                s1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y1, (nuint)c), vc, s1);
            }
            float c0 = weights[n] * Vector512.Sum(s0);
            float c1 = weights[n + 1] * Vector512.Sum(s1);
            if (residual)
            {
                c0 = targets[n] - c0;
                c1 = targets[n + 1] - c1;
            }
            var b0 = Vector512.Create(c0);
            var b1 = Vector512.Create(c1);
            for (int c = 0; c < k; c += 16)
            {
                var a = Vector512.LoadUnsafe(ref a0, (nuint)c);
                a = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y0, (nuint)c), b0, a);
                a = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y1, (nuint)c), b1, a);
                a.StoreUnsafe(ref a0, (nuint)c);
            }
        }
        if (n < count)
        {
            ref float y0 = ref Unsafe.Add(ref y, n * k);
            var s0 = Vector512<float>.Zero;
            for (int c = 0; c < k; c += 16)
                s0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y0, (nuint)c), Vector512.LoadUnsafe(ref v0, (nuint)c), s0);
            float c0 = weights[n] * Vector512.Sum(s0);
            if (residual) c0 = targets[n] - c0;
            var b0 = Vector512.Create(c0);
            for (int c = 0; c < k; c += 16)
                Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y0, (nuint)c), b0, Vector512.LoadUnsafe(ref a0, (nuint)c)).StoreUnsafe(ref a0, (nuint)c);
        }
    }

    /// <summary>True when <see cref="AddWeightedProjections"/> applies to k factors on this processor.</summary>
    public static bool CanFuseRows(int k) => Vector512.IsHardwareAccelerated && k % 16 == 0;

    /// <summary>
    /// Adds <c>sum over e of w_e y_e y_e^T</c> to the upper triangle of <paramref name="upper"/>: the register-tiled
    /// <see cref="AlsBlockKernels.AddWeightedOuterUpper"/> where it applies, else <see cref="AddOuterUpperMany"/>.
    /// Entries of the strict lower triangle within 15 columns of the diagonal receive meaningless values.
    /// </summary>
    public static void AddWeightedOuterUpper(ReadOnlySpan<float> vectors, ReadOnlySpan<float> weights, Span<float> upper, int k)
    {
        if (AlsBlockKernels.Applies(k)) AlsBlockKernels.AddWeightedOuterUpper(vectors, weights, upper, k);
        else AddOuterUpperMany(vectors, weights, upper, k);
    }

    /// <summary>
    /// Factorizes as <c>U^T U</c> (contract of <see cref="CholeskyUpper"/>): the register-tiled
    /// <see cref="AlsBlockKernels.CholeskyUpper"/> where it applies, else <see cref="CholeskyUpper"/>.
    /// </summary>
    public static bool FactorUpper(Span<float> upper, int k, Span<float> inverseDiagonal) =>
        AlsBlockKernels.Applies(k) ? AlsBlockKernels.CholeskyUpper(upper, k, inverseDiagonal) : CholeskyUpper(upper, k, inverseDiagonal);

    /// <summary>Copies the upper triangle of a k x k row-major matrix into its lower triangle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MirrorUpperToLower(Span<float> matrix, int k)
    {
        for (int a = 1; a < k; a++)
            for (int b = 0; b < a; b++)
                matrix[a * k + b] = matrix[b * k + a];
    }

    /// <summary>
    /// <c>result = M v</c> for a <em>symmetric</em> full k x k row-major matrix M, computed as
    /// <c>sum_a v[a] M[a, :]</c> in fused blocks of 8 rows (no horizontal reductions).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SymmetricMatVec(ReadOnlySpan<float> matrix, ReadOnlySpan<float> v, Span<float> result)
    {
        int k = v.Length;
        ref float m0 = ref MemoryMarshal.GetReference(matrix);
        ref float r0 = ref MemoryMarshal.GetReference(result);
        if (k == 64 && Vector512.IsHardwareAccelerated)
        {
            SymmetricMatVec64(ref m0, ref MemoryMarshal.GetReference(v), ref r0);
            return;
        }
        result[..k].Clear();
        for (int a0 = 0; a0 < k; a0 += 8)
        {
            int m = Math.Min(8, k - a0);
            MultiplyAddRows(ref Unsafe.Add(ref m0, a0 * k), k, v.Slice(a0, m), ref r0, k);
        }
    }

    /// <summary>
    /// <see cref="SymmetricMatVec"/> for k = 64 with the result in registers: eight 16-float accumulators (even and
    /// odd rows of M apart, so that no accumulator waits on the previous fused multiply-add), one pass over M.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SymmetricMatVec64(ref float m0, ref float v0, ref float r0)
    {
        var e0 = Vector512<float>.Zero; var e1 = Vector512<float>.Zero; var e2 = Vector512<float>.Zero; var e3 = Vector512<float>.Zero;
        var o0 = Vector512<float>.Zero; var o1 = Vector512<float>.Zero; var o2 = Vector512<float>.Zero; var o3 = Vector512<float>.Zero;
        for (int a = 0; a < 64; a += 2)
        {
            ref float even = ref Unsafe.Add(ref m0, a * 64);
            ref float odd = ref Unsafe.Add(ref even, 64);
            var ve = Vector512.Create(Unsafe.Add(ref v0, a));
            var vo = Vector512.Create(Unsafe.Add(ref v0, a + 1));
            e0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref even, 0), ve, e0);
            e1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref even, 16), ve, e1);
            e2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref even, 32), ve, e2);
            e3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref even, 48), ve, e3);
            o0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref odd, 0), vo, o0);
            o1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref odd, 16), vo, o1);
            o2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref odd, 32), vo, o2);
            o3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref odd, 48), vo, o3);
        }
        (e0 + o0).StoreUnsafe(ref r0, 0);
        (e1 + o1).StoreUnsafe(ref r0, 16);
        (e2 + o2).StoreUnsafe(ref r0, 32);
        (e3 + o3).StoreUnsafe(ref r0, 48);
    }

    /// <summary>
    /// Factorizes the symmetric positive definite k x k matrix whose upper triangle is stored in
    /// <paramref name="upper"/> (row-major) as <c>U^T U</c>, overwriting the upper triangle with U.
    /// </summary>
    /// <param name="upper">The matrix on entry (upper triangle read), U on return.</param>
    /// <param name="k">The order.</param>
    /// <param name="inverseDiagonal">Receives <c>1 / U[j, j]</c> (k floats) so that the solves multiply instead of dividing.</param>
    /// <returns>False when a pivot is not positive (the matrix is not numerically positive definite).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool CholeskyUpper(Span<float> upper, int k, Span<float> inverseDiagonal)
    {
        // Right-looking and blocked by panels of 8 rows: the panel is factorized row by row (updating only panel
        // rows), then every trailing row receives one fused rank-8 update from the whole panel. Row operations start at
        // a multiple of 8 so that the vector loops have no scalar tail when k is a multiple of 8; the extra entries they
        // touch lie in the strict lower triangle, which holds meaningless values and is never read.
        const int Panel = 8;
        Span<float> coefficients = stackalloc float[Panel];
        ref float a0 = ref MemoryMarshal.GetReference(upper);
        for (int j0 = 0; j0 < k; j0 += Panel)
        {
            int j1 = Math.Min(k, j0 + Panel);
            for (int j = j0; j < j1; j++)
            {
                ref float rowJ = ref Unsafe.Add(ref a0, j * k);
                float d = Unsafe.Add(ref rowJ, j);
                if (!(d > 0f) || !float.IsFinite(d)) return false;
                d = MathF.Sqrt(d);
                float inv = 1f / d;
                inverseDiagonal[j] = inv;
                Scale(ref Unsafe.Add(ref rowJ, j0), inv, k - j0);
                Unsafe.Add(ref rowJ, j) = d;
                for (int i = j + 1; i < j1; i++)
                {
                    float s = Unsafe.Add(ref rowJ, i);
                    if (s != 0f) MultiplyAdd(ref Unsafe.Add(ref rowJ, j0), -s, ref Unsafe.Add(ref a0, i * k + j0), k - j0);
                }
            }
            int m = j1 - j0;
            Span<float> c8 = coefficients[..m];
            ref float panel = ref Unsafe.Add(ref a0, j0 * k);
            for (int i = j1; i < k; i++)
            {
                for (int r = 0; r < m; r++) c8[r] = -Unsafe.Add(ref panel, r * k + i);
                int start = i & ~7;
                MultiplyAddRows(ref Unsafe.Add(ref panel, start), k, c8, ref Unsafe.Add(ref a0, i * k + start), k - start);
            }
        }
        return true;
    }

    /// <summary><c>x[0..n) *= s</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(ref float x, float s, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            for (; i <= n - 16; i += 16) (Vector512.LoadUnsafe(ref x, (nuint)i) * vs).StoreUnsafe(ref x, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i <= n - 8; i += 8) (Vector256.LoadUnsafe(ref x, (nuint)i) * vs).StoreUnsafe(ref x, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref x, i) *= s;
    }

    /// <summary>
    /// Solves <c>U^T U x = b</c> in place (<paramref name="x"/> holds b on entry) with U from <see cref="CholeskyUpper"/>
    /// and its <paramref name="inverseDiagonal"/>; only the upper triangle of U is read. <paramref name="work"/> is a
    /// k-float buffer.
    /// </summary>
    /// <remarks>
    /// Both triangular solves go by blocks of 8 unknowns: a short scalar solve inside the block, and one fused
    /// operation for the coupling with the rest (forward: an 8-row update of the pending sums; backward: 8 independent
    /// dot products), so that the serial dependency chain is 8 scalar steps per block instead of a vector reduction per
    /// unknown.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CholeskySolveUpper(ReadOnlySpan<float> factor, ReadOnlySpan<float> inverseDiagonal, int k, Span<float> x, Span<float> work)
    {
        ref float u0 = ref MemoryMarshal.GetReference(factor);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(work);
        // Forward, U^T z = b. work[j] accumulates sum over earlier blocks' j' of U[j', j] z_j'.
        work[..k].Clear();
        for (int j0 = 0; j0 < k; j0 += 8)
        {
            int j1 = Math.Min(k, j0 + 8);
            for (int j = j0; j < j1; j++)
            {
                float acc = Unsafe.Add(ref x0, j) - Unsafe.Add(ref w0, j);
                for (int jp = j0; jp < j; jp++) acc -= Unsafe.Add(ref u0, jp * k + j) * Unsafe.Add(ref x0, jp);
                Unsafe.Add(ref x0, j) = acc * inverseDiagonal[j];
            }
            if (j1 < k)
                MultiplyAddRows(ref Unsafe.Add(ref u0, j0 * k + j1), k, x.Slice(j0, j1 - j0), ref Unsafe.Add(ref w0, j1), k - j1);
        }
        // Backward, U x = z, last block first. work[i] = sum over later blocks' c of U[i, c] x_c.
        for (int i0 = (k - 1) & ~7; i0 >= 0; i0 -= 8)
        {
            int i1 = Math.Min(k, i0 + 8);
            for (int i = i0; i < i1; i++)
                Unsafe.Add(ref w0, i) = i1 < k ? Dot(ref Unsafe.Add(ref u0, i * k + i1), ref Unsafe.Add(ref x0, i1), k - i1) : 0f;
            for (int i = i1 - 1; i >= i0; i--)
            {
                float acc = Unsafe.Add(ref x0, i) - Unsafe.Add(ref w0, i);
                for (int c = i + 1; c < i1; c++) acc -= Unsafe.Add(ref u0, i * k + c) * Unsafe.Add(ref x0, c);
                Unsafe.Add(ref x0, i) = acc * inverseDiagonal[i];
            }
        }
    }
}
