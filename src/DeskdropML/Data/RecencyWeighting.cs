using DeskdropML.Sparse;

namespace DeskdropML.Data;

/// <summary>
/// Time decay of interaction weights: each stored entry with timestamp t is multiplied by
/// <c>0.5^((T - t) / h)</c>, where h is the half-life and T the reference time (default: the latest timestamp
/// given, i.e. the end of the training data — never anything from a later split).
/// </summary>
/// <remarks>
/// On time-split data, recent interactions predict the next period better than old ones (on <c>deskdrop</c> a
/// 3-day recency popularity beats plain popularity threefold). Applying the decay to the training matrix lets any
/// trainer use that, with information dated before the split only. The structure (which pairs are stored) is kept.
/// </remarks>
public static class RecencyWeighting
{
    /// <summary>Returns a copy of <paramref name="matrix"/> with decayed values.</summary>
    /// <param name="matrix">User x item matrix.</param>
    /// <param name="timestamps">Timestamp of every stored entry (aligned with <c>matrix.Values</c>).</param>
    /// <param name="halfLifeSeconds">Half-life h in seconds, positive and finite.</param>
    /// <param name="referenceTime">T; default: the latest of <paramref name="timestamps"/>.</param>
    public static CsrMatrix Apply(CsrMatrix matrix, ReadOnlySpan<long> timestamps, double halfLifeSeconds, long? referenceTime = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (!(halfLifeSeconds > 0) || double.IsInfinity(halfLifeSeconds))
            throw new ArgumentOutOfRangeException(nameof(halfLifeSeconds), halfLifeSeconds, "The half-life must be a positive, finite number of seconds.");
        if (timestamps.Length != matrix.NonZeroCount)
            throw new ArgumentException($"Expected one timestamp per stored entry ({matrix.NonZeroCount}); got {timestamps.Length}.", nameof(timestamps));
        long reference = referenceTime ?? Max(timestamps);
        var values = new float[matrix.NonZeroCount];
        var source = matrix.Values;
        for (int p = 0; p < values.Length; p++)
        {
            double age = Math.Max(0, (double)reference - timestamps[p]); // in double: a difference of extreme timestamps overflows long
            values[p] = (float)(source[p] * Math.Pow(0.5, age / halfLifeSeconds));
        }
        return new CsrMatrix(matrix.Rows, matrix.Columns, matrix.RowPointers.ToArray(), matrix.ColumnIndices.ToArray(), values);
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        long m = long.MinValue;
        foreach (long v in values) if (v > m) m = v;
        return values.IsEmpty ? 0 : m;
    }
}
