using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// Register-tiled kernels for the Cholesky solver when k is 16, 32, 48 or 64 and 512-bit vectors exist
/// (<see cref="Applies"/>): a tile of 4 matrix rows by up to 4 sixteen-float chunks (16 accumulators) stays in
/// registers while every contributing vector streams past it, so each output is loaded and stored once per tile
/// instead of once per 8 contributions.
/// </summary>
/// <remarks>
/// Both kernels write only rows' entries from the 16-aligned chunk holding the diagonal onwards; the up to 15 entries
/// left of the diagonal in that chunk (strict lower triangle) receive meaningless finite-or-not values that no caller
/// reads — every operation is lane-wise, so those lanes never mix into the upper triangle.
/// The profile that motivated them (synthetic-2m, 64 factors): the Gram updates and the factorization were 28% and
/// 31% of a Cholesky iteration with the 8-row rank updates of <see cref="AlsKernels"/>.
/// </remarks>
internal static class AlsBlockKernels
{
    /// <summary>True when the tiled kernels handle k factors on this processor.</summary>
    public static bool Applies(int k) => Vector512.IsHardwareAccelerated && k % 16 == 0 && k >= 16 && k <= 64;

    /// <summary>
    /// Adds <c>sum over e of w_e y_e y_e^T</c> to the upper triangle of the k x k row-major matrix
    /// <paramref name="upper"/> for the <c>weights.Length</c> vectors y_e stored row-major (k floats each) in
    /// <paramref name="vectors"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddWeightedOuterUpper(ReadOnlySpan<float> vectors, ReadOnlySpan<float> weights, Span<float> upper, int k)
    {
        ref float y0 = ref MemoryMarshal.GetReference(vectors);
        ref float a0 = ref MemoryMarshal.GetReference(upper);
        for (int r0 = 0; r0 < k; r0 += 4)
        {
            int c0 = r0 & ~15;
            // out[i][c] += sum_e (w_e y_e[r0 + i]) y_e[c] for the four rows r0..r0+3 and the columns from c0 on.
            Tile(ref Unsafe.Add(ref a0, r0 * k + c0), k, (k - c0) >> 4, ref Unsafe.Add(ref y0, r0), ref Unsafe.Add(ref y0, c0), k, weights, 1f);
        }
    }

    /// <summary>
    /// Factorizes the symmetric positive definite k x k matrix whose upper triangle is in <paramref name="upper"/> as
    /// <c>U^T U</c> (U overwrites the upper triangle), four rows at a time, left-looking: each block of rows first
    /// receives <c>-sum over earlier rows l of U[l, r] U[l, :]</c> through the register tile, then is factorized within
    /// itself. Same contract as <see cref="AlsKernels.CholeskyUpper"/>.
    /// </summary>
    /// <returns>False when a pivot is not positive (the matrix is not numerically positive definite).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool CholeskyUpper(Span<float> upper, int k, Span<float> inverseDiagonal)
    {
        ref float a0 = ref MemoryMarshal.GetReference(upper);
        for (int r0 = 0; r0 < k; r0 += 4)
        {
            int c0 = r0 & ~15;
            int chunks = (k - c0) >> 4;
            ref float block = ref Unsafe.Add(ref a0, r0 * k + c0);
            // The earlier rows l < r0 are finished rows of U: row l's entries r0..r0+3 are the coefficients (stride k
            // between rows l), its entries from c0 on the vectors.
            if (r0 > 0) Tile(ref block, k, chunks, ref Unsafe.Add(ref a0, r0), ref Unsafe.Add(ref a0, c0), k, Ones(r0), -1f);
            // Within the block: the 4 x 4 diagonal part, row by row.
            int width = k - c0;
            for (int i = 0; i < 4; i++)
            {
                int j = r0 + i;
                ref float rowJ = ref Unsafe.Add(ref a0, j * k + c0);
                float d = Unsafe.Add(ref rowJ, j - c0);
                if (!(d > 0f) || !float.IsFinite(d)) return false;
                d = MathF.Sqrt(d);
                float inv = 1f / d;
                inverseDiagonal[j] = inv;
                ScaleChunks(ref rowJ, inv, width);
                Unsafe.Add(ref rowJ, j - c0) = d;
                for (int i2 = i + 1; i2 < 4; i2++)
                {
                    float s = Unsafe.Add(ref rowJ, j + (i2 - i) - c0);
                    if (s != 0f) SubtractScaledChunks(ref rowJ, s, ref Unsafe.Add(ref a0, (j + i2 - i) * k + c0), width);
                }
            }
        }
        return true;
    }

    /// <summary>
    /// The register tile: for rows i = 0..3 of <paramref name="out0"/> (stride <paramref name="outStride"/>) and
    /// <paramref name="chunks"/> 16-float chunks,
    /// <c>out[i][:] += sum over e of (sign w_e coef[e * stride + i]) vec[e * stride + :]</c>, e over <c>weights.Length</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(ref float out0, int outStride, int chunks, ref float coef, ref float vec, int stride, ReadOnlySpan<float> weights, float sign)
    {
        int count = weights.Length;
        ref float o1 = ref Unsafe.Add(ref out0, outStride);
        ref float o2 = ref Unsafe.Add(ref out0, 2 * outStride);
        ref float o3 = ref Unsafe.Add(ref out0, 3 * outStride);
        var z = Vector512<float>.Zero;
        Vector512<float> a00 = Vector512.LoadUnsafe(ref out0), a10 = Vector512.LoadUnsafe(ref o1), a20 = Vector512.LoadUnsafe(ref o2), a30 = Vector512.LoadUnsafe(ref o3);
        Vector512<float> a01 = z, a11 = z, a21 = z, a31 = z, a02 = z, a12 = z, a22 = z, a32 = z, a03 = z, a13 = z, a23 = z, a33 = z;
        if (chunks > 1) { a01 = Vector512.LoadUnsafe(ref out0, 16); a11 = Vector512.LoadUnsafe(ref o1, 16); a21 = Vector512.LoadUnsafe(ref o2, 16); a31 = Vector512.LoadUnsafe(ref o3, 16); }
        if (chunks > 2) { a02 = Vector512.LoadUnsafe(ref out0, 32); a12 = Vector512.LoadUnsafe(ref o1, 32); a22 = Vector512.LoadUnsafe(ref o2, 32); a32 = Vector512.LoadUnsafe(ref o3, 32); }
        if (chunks > 3) { a03 = Vector512.LoadUnsafe(ref out0, 48); a13 = Vector512.LoadUnsafe(ref o1, 48); a23 = Vector512.LoadUnsafe(ref o2, 48); a33 = Vector512.LoadUnsafe(ref o3, 48); }
        for (int e = 0; e < count; e++)
        {
            ref float c = ref Unsafe.Add(ref coef, e * stride);
            ref float v = ref Unsafe.Add(ref vec, e * stride);
            float f = sign * weights[e];
            var b0 = Vector512.Create(f * c);
            var b1 = Vector512.Create(f * Unsafe.Add(ref c, 1));
            var b2 = Vector512.Create(f * Unsafe.Add(ref c, 2));
            var b3 = Vector512.Create(f * Unsafe.Add(ref c, 3));
            var v0 = Vector512.LoadUnsafe(ref v);
            a00 = Vector512.MultiplyAddEstimate(v0, b0, a00); a10 = Vector512.MultiplyAddEstimate(v0, b1, a10);
            a20 = Vector512.MultiplyAddEstimate(v0, b2, a20); a30 = Vector512.MultiplyAddEstimate(v0, b3, a30);
            if (chunks > 1)
            {
                var v1 = Vector512.LoadUnsafe(ref v, 16);
                a01 = Vector512.MultiplyAddEstimate(v1, b0, a01); a11 = Vector512.MultiplyAddEstimate(v1, b1, a11);
                a21 = Vector512.MultiplyAddEstimate(v1, b2, a21); a31 = Vector512.MultiplyAddEstimate(v1, b3, a31);
            }
            if (chunks > 2)
            {
                var v2 = Vector512.LoadUnsafe(ref v, 32);
                a02 = Vector512.MultiplyAddEstimate(v2, b0, a02); a12 = Vector512.MultiplyAddEstimate(v2, b1, a12);
                a22 = Vector512.MultiplyAddEstimate(v2, b2, a22); a32 = Vector512.MultiplyAddEstimate(v2, b3, a32);
            }
            if (chunks > 3)
            {
                var v3 = Vector512.LoadUnsafe(ref v, 48);
                a03 = Vector512.MultiplyAddEstimate(v3, b0, a03); a13 = Vector512.MultiplyAddEstimate(v3, b1, a13);
                a23 = Vector512.MultiplyAddEstimate(v3, b2, a23); a33 = Vector512.MultiplyAddEstimate(v3, b3, a33);
            }
        }
        a00.StoreUnsafe(ref out0); a10.StoreUnsafe(ref o1); a20.StoreUnsafe(ref o2); a30.StoreUnsafe(ref o3);
        if (chunks > 1) { a01.StoreUnsafe(ref out0, 16); a11.StoreUnsafe(ref o1, 16); a21.StoreUnsafe(ref o2, 16); a31.StoreUnsafe(ref o3, 16); }
        if (chunks > 2) { a02.StoreUnsafe(ref out0, 32); a12.StoreUnsafe(ref o1, 32); a22.StoreUnsafe(ref o2, 32); a32.StoreUnsafe(ref o3, 32); }
        if (chunks > 3) { a03.StoreUnsafe(ref out0, 48); a13.StoreUnsafe(ref o1, 48); a23.StoreUnsafe(ref o2, 48); a33.StoreUnsafe(ref o3, 48); }
    }

    /// <summary>Unit weights for the factorization's updates (k is at most 64, so a static array serves every call).</summary>
    private static ReadOnlySpan<float> Ones(int count) => UnitWeights.AsSpan(0, count);

    private static readonly float[] UnitWeights = CreateOnes();

    private static float[] CreateOnes()
    {
        var ones = new float[64];
        Array.Fill(ones, 1f);
        return ones;
    }

    /// <summary><c>x[0..n) *= s</c> for n a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleChunks(ref float x, float s, int n)
    {
        var vs = Vector512.Create(s);
        for (int i = 0; i < n; i += 16) (Vector512.LoadUnsafe(ref x, (nuint)i) * vs).StoreUnsafe(ref x, (nuint)i);
    }

    /// <summary><c>dst[0..n) -= s * x[0..n)</c> for n a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractScaledChunks(ref float x, float s, ref float dst, int n)
    {
        var vs = Vector512.Create(-s);
        for (int i = 0; i < n; i += 16)
            Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, (nuint)i), vs, Vector512.LoadUnsafe(ref dst, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
    }
}
