using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// The small dense kernels of the WARP training loop (dot products, feature sums and optimiser steps over one
/// parameter block of d or d + 1 floats), written for AVX-512 with masked loads and stores: a block of any width is
/// covered by ⌈width / 16⌉ full-width operations, the last one masked, so a width of 11 (d = 10 plus the bias) or
/// 33 (d = 32 plus the bias) needs no scalar tail and no call per block. Without AVX-512 (or with
/// <see cref="UseVectorPath"/> false, or a caller's <c>vector</c> argument false) the portable code paths are used, which compute the same
/// quantities (results agree to float rounding, not bit for bit). Tests compare the two paths through the
/// <c>…Avx512</c> and <c>…Portable</c> methods.
/// </summary>
/// <remarks>
/// Masked-off lanes of a load read nothing (AVX-512 fault suppression), so a block at the very end of an array is
/// safe; masked-off lanes of a store write nothing, so neighbouring blocks are never touched (which matters for
/// Hogwild threads updating adjacent features).
/// </remarks>
internal static unsafe class WarpKernels
{
    /// <summary>Whether the AVX-512 paths run (hardware support, and not switched off by a test).</summary>
    internal static readonly bool UseVectorPath = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Float mask whose first <paramref name="lanes"/> lanes (1..16) are all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask(int lanes) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lanes)).AsSingle();

    /// <summary>Mask of the lanes (of a chunk) that read the direction: min(16, max(0, lanes)) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> DirectionMask(int lanes) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lanes)).AsSingle();

    /// <summary>Σ a_c b_c over <paramref name="n"/> entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int n, bool vector) =>
        vector ? DotAvx512(a, b, n) : TensorPrimitives.Dot(a.Slice(0, n), b.Slice(0, n));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float DotAvx512(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int n)
    {
        if ((uint)n > (uint)a.Length || (uint)n > (uint)b.Length) throw new ArgumentOutOfRangeException(nameof(n));
        fixed (float* pa = a)
        fixed (float* pb = b)
            return Dot(pa, pb, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* a, float* b, int n)
    {
        var acc = Vector512<float>.Zero;
        int c = 0;
        for (; c + 16 <= n; c += 16)
            acc = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(a + c), Avx512F.LoadVector512(b + c), acc);
        if (c < n)
        {
            var m = Mask(n - c);
            acc = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(a + c, m, Vector512<float>.Zero), Avx512F.MaskLoad(b + c, m, Vector512<float>.Zero), acc);
        }
        return Vector512.Sum(acc);
    }

    /// <summary>
    /// <c>repr = Σ_k val[k] · parameters[idx[k]·stride .. +stride)</c> (the first <paramref name="stride"/> entries of
    /// <paramref name="repr"/> are overwritten).
    /// </summary>
    public static void SumBlocks(float[] parameters, int stride, ReadOnlySpan<int> idx, ReadOnlySpan<float> val, Span<float> repr, bool vector)
    {
        if (vector) SumBlocksAvx512(parameters, stride, idx, val, repr);
        else SumBlocksPortable(parameters, stride, idx, val, repr);
    }

    internal static void SumBlocksPortable(float[] parameters, int stride, ReadOnlySpan<int> idx, ReadOnlySpan<float> val, Span<float> repr)
    {
        var r = repr.Slice(0, stride);
        r.Clear();
        for (int k = 0; k < idx.Length; k++)
            TensorPrimitives.MultiplyAdd(parameters.AsSpan(idx[k] * stride, stride), val[k], r, r);
    }

    internal static void SumBlocksAvx512(float[] parameters, int stride, ReadOnlySpan<int> idx, ReadOnlySpan<float> val, Span<float> repr)
    {
        var r = repr.Slice(0, stride);
        if (idx.Length > val.Length) throw new ArgumentException("More indices than values.", nameof(val));
        RequireIndices(idx, parameters.Length / stride);
        fixed (float* p = parameters)
        fixed (float* pr = r)
        fixed (int* pi = idx)
        fixed (float* pv = val)
        {
            int n = idx.Length;
            for (int c = 0; c < stride; c += 16)
            {
                var m = Mask(Math.Min(16, stride - c));
                var zero = Vector512<float>.Zero;
                var acc0 = zero;
                var acc1 = zero;
                var acc2 = zero;
                var acc3 = zero;
                float* bp = p + c;
                int k = 0;
                // Four independent accumulators hide the FMA latency over a long (text feature) row.
                for (; k + 4 <= n; k += 4)
                {
                    acc0 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(bp + (nint)pi[k] * stride, m, zero), Vector512.Create(pv[k]), acc0);
                    acc1 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(bp + (nint)pi[k + 1] * stride, m, zero), Vector512.Create(pv[k + 1]), acc1);
                    acc2 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(bp + (nint)pi[k + 2] * stride, m, zero), Vector512.Create(pv[k + 2]), acc2);
                    acc3 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(bp + (nint)pi[k + 3] * stride, m, zero), Vector512.Create(pv[k + 3]), acc3);
                }
                for (; k < n; k++)
                    acc0 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(bp + (nint)pi[k] * stride, m, zero), Vector512.Create(pv[k]), acc0);
                Avx512F.MaskStore(pr + c, m, (acc0 + acc1) + (acc2 + acc3));
            }
        }
    }

    private static readonly float[] Ones = [1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f];

    /// <summary>
    /// Steps every feature <c>f = idx[k]</c> of a row: on the first <paramref name="width"/> entries of its block
    /// (stride <paramref name="stride"/>), one optimiser step with gradient <c>scale · val[k] · direction_c</c>, followed by
    /// the L2 shrink (see <see cref="WarpOptimizer"/> for the rules); features whose gradient scale is 0 are skipped. The
    /// direction is <paramref name="direction"/> for the first <paramref name="directionLength"/> entries and 1 for the
    /// rest (at most 16): an item step <c>[p_u, 1]</c> reads p_u in place, without a copy that appends the 1.
    /// </summary>
    /// <remarks>
    /// The AVX-512 Adagrad path computes the local rate <c>η / √G</c> as <c>η · y</c> with <c>y</c> the 14-bit
    /// reciprocal square root estimate refined by one Newton step (<c>y ← y (3 - G y²) / 2</c>, relative error about
    /// 1e-7, the order of the rounding of the exact square root and division it replaces).
    /// </remarks>
    public static void StepFeatures(in WarpOptimizer optimizer, float[] theta, float[] acc, float[]? deltas, int stride,
        ReadOnlySpan<int> idx, ReadOnlySpan<float> val, int width, ReadOnlySpan<float> direction, int directionLength, float scale, float alpha, bool vector)
    {
        if (vector) StepFeaturesAvx512(optimizer, theta, acc, deltas, stride, idx, val, width, direction, directionLength, scale, alpha);
        else StepFeaturesPortable(optimizer, theta, acc, deltas, stride, idx, val, width, direction, directionLength, scale, alpha);
    }

    internal static void StepFeaturesPortable(in WarpOptimizer optimizer, float[] theta, float[] acc, float[]? deltas, int stride,
        ReadOnlySpan<int> idx, ReadOnlySpan<float> val, int width, ReadOnlySpan<float> direction, int directionLength, float scale, float alpha)
    {
        int n = directionLength;
        for (int k = 0; k < idx.Length; k++)
        {
            float g = scale * val[k];
            if (g == 0f) continue;
            int offset = idx[k] * stride;
            optimizer.StepVector(theta.AsSpan(offset, n), acc.AsSpan(offset, n),
                deltas is null ? default : deltas.AsSpan(offset, n), direction.Slice(0, n), g, alpha);
            if (width > n)
                optimizer.StepVector(theta.AsSpan(offset + n, width - n), acc.AsSpan(offset + n, width - n),
                    deltas is null ? default : deltas.AsSpan(offset + n, width - n), Ones.AsSpan(0, width - n), g, alpha);
        }
    }

    internal static void StepFeaturesAvx512(in WarpOptimizer optimizer, float[] theta, float[] acc, float[]? deltas, int stride,
        ReadOnlySpan<int> idx, ReadOnlySpan<float> val, int width, ReadOnlySpan<float> direction, int directionLength, float scale, float alpha)
    {
        if ((uint)directionLength > (uint)direction.Length || directionLength > width || width - directionLength > 16)
            throw new ArgumentOutOfRangeException(nameof(directionLength));
        if (width < 1 || width > stride) throw new ArgumentOutOfRangeException(nameof(width));
        if (idx.Length > val.Length) throw new ArgumentException("More indices than values.", nameof(val));
        RequireIndices(idx, Math.Min(theta.Length, Math.Min(acc.Length, deltas?.Length ?? int.MaxValue)) / stride);
        bool adagrad = optimizer.Adagrad;
        if (!adagrad && deltas is null) throw new ArgumentNullException(nameof(deltas));
        fixed (float* pt = theta)
        fixed (float* pa = acc)
        fixed (float* pe = deltas)
        fixed (float* pd = direction)
        fixed (int* pi = idx)
        fixed (float* pv = val)
        {
            var vAlpha = Vector512.Create(alpha);
            var one = Vector512<float>.One;
            var vRate = Vector512.Create(optimizer.LearningRate);
            var vRho = Vector512.Create(optimizer.Rho);
            var vRest = Vector512.Create(1f - optimizer.Rho);
            var vEps = Vector512.Create(optimizer.Epsilon);
            var half = Vector512.Create(0.5f);
            var threeHalves = Vector512.Create(1.5f);
            // Chunks outside, features inside: the mask and the direction chunk are loaded once per row.
            for (int c = 0; c < width; c += 16)
            {
                var m = Mask(Math.Min(16, width - c));
                var dir = Avx512F.MaskLoad(pd + c, Mask(directionLength - c), one);
                for (int k = 0; k < idx.Length; k++)
                {
                    float gk = scale * pv[k];
                    if (gk == 0f) continue;
                    nint at = (nint)pi[k] * stride + c;
                    var g = Vector512.Create(gk) * dir;
                    if (adagrad)
                    {
                        var a = Avx512F.MaskLoad(pa + at, m, one); // masked lanes: 1, so the estimate stays finite
                        var y = Avx512F.ReciprocalSqrt14(a);
                        y *= threeHalves - half * a * y * y;
                        var eta = vRate * y;
                        var t = Avx512F.MaskLoad(pt + at, m, Vector512<float>.Zero) - eta * g;
                        if (alpha > 0f) t *= Vector512.Max(Vector512<float>.Zero, one - eta * vAlpha);
                        Avx512F.MaskStore(pt + at, m, t);
                        Avx512F.MaskStore(pa + at, m, a + g * g);
                    }
                    else
                    {
                        var a = vRho * Avx512F.MaskLoad(pa + at, m, Vector512<float>.Zero) + vRest * g * g;
                        var delta = Avx512F.MaskLoad(pe + at, m, Vector512<float>.Zero);
                        var eta = Vector512.Sqrt(delta + vEps) / Vector512.Sqrt(a + vEps);
                        var step = eta * g;
                        var t = Avx512F.MaskLoad(pt + at, m, Vector512<float>.Zero) - step;
                        if (alpha > 0f) t *= Vector512.Max(Vector512<float>.Zero, one - eta * vAlpha);
                        Avx512F.MaskStore(pa + at, m, a);
                        Avx512F.MaskStore(pe + at, m, vRho * delta + vRest * step * step);
                        Avx512F.MaskStore(pt + at, m, t);
                    }
                }
            }
        }
    }

    /// <summary>Throws unless every index is in [0, <paramref name="blocks"/>) (the unchecked pointer loops rely on it).</summary>
    private static void RequireIndices(ReadOnlySpan<int> idx, int blocks)
    {
        // As unsigned, a negative index is huge: one vectorised maximum checks both ends of a long row.
        uint max = idx.Length switch
        {
            0 => 0,
            1 => (uint)idx[0],
            _ => TensorPrimitives.Max(System.Runtime.InteropServices.MemoryMarshal.Cast<int, uint>(idx)),
        };
        if (idx.Length > 0 && max >= (uint)blocks) throw new ArgumentOutOfRangeException(nameof(idx), "A feature index is outside the parameter array.");
    }

    /// <summary>Asks the cache hierarchy for the lines of <c>array[offset .. offset + length)</c> (a hint; no effect on results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(float[] array, int offset, int length)
    {
        if (!Sse.IsSupported) return;
        ref float start = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(array);
        byte* p = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref start, offset));
        byte* end = p + 4 * (length - 1);
        // One hint per 64-byte line touched (the last line explicitly, in case the block straddles it).
        for (; p < end; p += 64) Sse.Prefetch0(p);
        Sse.Prefetch0(end);
    }

    /// <summary>Asks the cache hierarchy for the line holding <c>array[index]</c> (a hint; no effect on results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(ReadOnlySpan<int> array, int index)
    {
        if (!Sse.IsSupported) return;
        ref int start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(array);
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref start, index)));
    }
}
