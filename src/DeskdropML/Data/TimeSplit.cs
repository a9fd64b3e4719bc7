namespace DeskdropML.Data;

/// <summary>Overflow-safe arithmetic on Unix timestamps for time splits.</summary>
internal static class TimeSplit
{
    /// <summary>
    /// <c>ceil(tMin + fraction (tMax - tMin))</c>, the time before which roughly <paramref name="fraction"/> of the span
    /// [tMin, tMax] lies. The span is formed in 128 bits (it overflows 64 bits for extreme timestamps) and the result is
    /// clamped to [tMin, tMax]; for ordinary timestamps it equals the plain double computation bit for bit.
    /// </summary>
    public static long AtFraction(long tMin, long tMax, double fraction)
    {
        double span = (double)((Int128)tMax - tMin);
        double t = Math.Ceiling(tMin + fraction * span);
        if (!(t > tMin)) return tMin;
        if (t >= tMax) return tMax;
        return (long)t;
    }
}
