using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// Adds <c>w * y y^T</c> to the upper triangle (columns j &gt;= row a) of the k x k row-major matrix
    /// <paramref name="upper"/>; entries of the strict lower triangle within 7 columns of the diagonal receive
    /// meaningless values (callers use only the upper triangle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddOuterUpper(ReadOnlySpan<float> y, float w, Span<float> upper)
    {
        int k = y.Length;
        ref float y0 = ref MemoryMarshal.GetReference(y);
        ref float a0 = ref MemoryMarshal.GetReference(upper);
        for (int a = 0; a < k; a++)
        {
            float s = w * Unsafe.Add(ref y0, a);
            if (s == 0f) continue;
            // Start at a multiple of 8 so the vector loop has no scalar tail when k is a multiple of 8; the few extra
            // entries written lie in the strict lower triangle, which the upper-triangle algorithms never read.
            int start = a & ~7;
            MultiplyAdd(ref Unsafe.Add(ref y0, start), s, ref Unsafe.Add(ref a0, a * k + start), k - start);
        }
    }

    /// <summary>Copies the upper triangle of a k x k row-major matrix into its lower triangle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MirrorUpperToLower(Span<float> matrix, int k)
    {
        for (int a = 1; a < k; a++)
            for (int b = 0; b < a; b++)
                matrix[a * k + b] = matrix[b * k + a];
    }

    /// <summary><c>result = M v</c> for a full k x k row-major matrix M.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatVec(ReadOnlySpan<float> matrix, ReadOnlySpan<float> v, Span<float> result)
    {
        int k = v.Length;
        ref float m0 = ref MemoryMarshal.GetReference(matrix);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        for (int a = 0; a < k; a++) result[a] = Dot(ref Unsafe.Add(ref m0, a * k), ref v0, k);
    }

    /// <summary>
    /// Factorizes the symmetric positive definite k x k matrix whose upper triangle is stored in
    /// <paramref name="upper"/> (row-major) as <c>U^T U</c>, overwriting the upper triangle with U.
    /// </summary>
    /// <returns>False when a pivot is not positive (the matrix is not numerically positive definite).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool CholeskyUpper(Span<float> upper, int k)
    {
        // Right-looking and blocked by panels of up to 8 rows: the panel is factorized row by row (updating only
        // panel rows), then every trailing row receives one fused rank-8 update from the whole panel.
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
                Unsafe.Add(ref rowJ, j) = d;
                float inv = 1f / d;
                for (int c = j + 1; c < k; c++) Unsafe.Add(ref rowJ, c) *= inv;
                for (int i = j + 1; i < j1; i++)
                {
                    float s = Unsafe.Add(ref rowJ, i);
                    if (s != 0f) MultiplyAdd(ref Unsafe.Add(ref rowJ, i), -s, ref Unsafe.Add(ref a0, i * k + i), k - i);
                }
            }
            int m = j1 - j0;
            Span<float> c8 = coefficients[..m];
            ref float panel = ref Unsafe.Add(ref a0, j0 * k);
            for (int i = j1; i < k; i++)
            {
                for (int r = 0; r < m; r++) c8[r] = -Unsafe.Add(ref panel, r * k + i);
                // Aligned start: only strict-lower entries of row i get extra (unused) updates.
                int start = i & ~7;
                MultiplyAddRows(ref Unsafe.Add(ref panel, start), k, c8, ref Unsafe.Add(ref a0, i * k + start), k - start);
            }
        }
        return true;
    }

    /// <summary>
    /// Solves <c>U^T U x = b</c> in place (<paramref name="x"/> holds b on entry) with U from <see cref="CholeskyUpper"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CholeskySolveUpper(ReadOnlySpan<float> factor, int k, Span<float> x)
    {
        ref float u0 = ref MemoryMarshal.GetReference(factor);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        // Forward: U^T z = b, column-oriented so that rows of U are read contiguously.
        for (int j = 0; j < k; j++)
        {
            ref float rowJ = ref Unsafe.Add(ref u0, j * k);
            float z = Unsafe.Add(ref x0, j) / Unsafe.Add(ref rowJ, j);
            Unsafe.Add(ref x0, j) = z;
            if (z != 0f) MultiplyAdd(ref Unsafe.Add(ref rowJ, j + 1), -z, ref Unsafe.Add(ref x0, j + 1), k - j - 1);
        }
        // Backward: U x = z.
        for (int i = k - 1; i >= 0; i--)
        {
            ref float rowI = ref Unsafe.Add(ref u0, i * k);
            float s = Dot(ref Unsafe.Add(ref rowI, i + 1), ref Unsafe.Add(ref x0, i + 1), k - i - 1);
            Unsafe.Add(ref x0, i) = (Unsafe.Add(ref x0, i) - s) / Unsafe.Add(ref rowI, i);
        }
    }
}
