using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DeskdropML.Trainers.Ease;

/// <summary>
/// The inner kernel of the dense solves: 16 dot products between 4 rows and 4 other rows of one row-major matrix over a
/// common column range, vectorised along the columns (AVX-512: 8 doubles per step, else 4; each step 8 loads feed 16
/// fused multiply-adds held in registers).
/// </summary>
/// <remarks>The summation order of every dot product depends only on the column range and the vector width, never on
/// the rows or on the calling thread, so the blocked solves built on it are deterministic.</remarks>
internal static class RowDotKernel
{
    /// <summary>
    /// <c>sums[4 r + c] += Σ_{k ∈ [k0, k1)} a[x_r + k] a[y_c + k]</c> for the row offsets <c>x_0..x_3</c> and
    /// <c>y_0..y_3</c> (element offsets of the rows' first columns).
    /// </summary>
    public static void Dot4x4(double[] a, long x0, long x1, long x2, long x3, long y0, long y1, long y2, long y3,
        int k0, int k1, Span<double> sums)
    {
        if (Vector512.IsHardwareAccelerated)
            Run<Vector512<double>, Lanes512>(a, x0, x1, x2, x3, y0, y1, y2, y3, k0, k1, sums);
        else
            Run<Vector256<double>, Lanes256>(a, x0, x1, x2, x3, y0, y1, y2, y3, k0, k1, sums);
    }

    /// <summary>Vector operations the kernel needs, so one kernel serves both widths.</summary>
    private interface ILanes<TV>
    {
        static abstract int Count { get; }
        static abstract TV Load(ref double source, nuint offset);
        static abstract TV Fma(TV x, TV y, TV addend);
        static abstract double Sum(TV v);
    }

    private readonly struct Lanes512 : ILanes<Vector512<double>>
    {
        public static int Count => Vector512<double>.Count;
        public static Vector512<double> Load(ref double source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
        public static Vector512<double> Fma(Vector512<double> x, Vector512<double> y, Vector512<double> addend) => Vector512.FusedMultiplyAdd(x, y, addend);
        public static double Sum(Vector512<double> v) => Vector512.Sum(v);
    }

    private readonly struct Lanes256 : ILanes<Vector256<double>>
    {
        public static int Count => Vector256<double>.Count;
        public static Vector256<double> Load(ref double source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
        public static Vector256<double> Fma(Vector256<double> x, Vector256<double> y, Vector256<double> addend) => Vector256.FusedMultiplyAdd(x, y, addend);
        public static double Sum(Vector256<double> v) => Vector256.Sum(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TV, TL>(double[] a, long x0, long x1, long x2, long x3, long y0, long y1, long y2, long y3,
        int k0, int k1, Span<double> sums)
        where TV : struct
        where TL : struct, ILanes<TV>
    {
        ref double r = ref a[0];
        int width = TL.Count;
        TV s00 = default, s01 = default, s02 = default, s03 = default;
        TV s10 = default, s11 = default, s12 = default, s13 = default;
        TV s20 = default, s21 = default, s22 = default, s23 = default;
        TV s30 = default, s31 = default, s32 = default, s33 = default;
        int k = k0;
        for (; k + width <= k1; k += width)
        {
            TV b0 = TL.Load(ref r, (nuint)(y0 + k)), b1 = TL.Load(ref r, (nuint)(y1 + k));
            TV b2 = TL.Load(ref r, (nuint)(y2 + k)), b3 = TL.Load(ref r, (nuint)(y3 + k));
            TV v = TL.Load(ref r, (nuint)(x0 + k));
            s00 = TL.Fma(v, b0, s00); s01 = TL.Fma(v, b1, s01); s02 = TL.Fma(v, b2, s02); s03 = TL.Fma(v, b3, s03);
            v = TL.Load(ref r, (nuint)(x1 + k));
            s10 = TL.Fma(v, b0, s10); s11 = TL.Fma(v, b1, s11); s12 = TL.Fma(v, b2, s12); s13 = TL.Fma(v, b3, s13);
            v = TL.Load(ref r, (nuint)(x2 + k));
            s20 = TL.Fma(v, b0, s20); s21 = TL.Fma(v, b1, s21); s22 = TL.Fma(v, b2, s22); s23 = TL.Fma(v, b3, s23);
            v = TL.Load(ref r, (nuint)(x3 + k));
            s30 = TL.Fma(v, b0, s30); s31 = TL.Fma(v, b1, s31); s32 = TL.Fma(v, b2, s32); s33 = TL.Fma(v, b3, s33);
        }
        sums[0] += TL.Sum(s00); sums[1] += TL.Sum(s01); sums[2] += TL.Sum(s02); sums[3] += TL.Sum(s03);
        sums[4] += TL.Sum(s10); sums[5] += TL.Sum(s11); sums[6] += TL.Sum(s12); sums[7] += TL.Sum(s13);
        sums[8] += TL.Sum(s20); sums[9] += TL.Sum(s21); sums[10] += TL.Sum(s22); sums[11] += TL.Sum(s23);
        sums[12] += TL.Sum(s30); sums[13] += TL.Sum(s31); sums[14] += TL.Sum(s32); sums[15] += TL.Sum(s33);
        for (; k < k1; k++)
        {
            double b0 = a[y0 + k], b1 = a[y1 + k], b2 = a[y2 + k], b3 = a[y3 + k];
            double v0 = a[x0 + k], v1 = a[x1 + k], v2 = a[x2 + k], v3 = a[x3 + k];
            sums[0] += v0 * b0; sums[1] += v0 * b1; sums[2] += v0 * b2; sums[3] += v0 * b3;
            sums[4] += v1 * b0; sums[5] += v1 * b1; sums[6] += v1 * b2; sums[7] += v1 * b3;
            sums[8] += v2 * b0; sums[9] += v2 * b1; sums[10] += v2 * b2; sums[11] += v2 * b3;
            sums[12] += v3 * b0; sums[13] += v3 * b1; sums[14] += v3 * b2; sums[15] += v3 * b3;
        }
    }
}
