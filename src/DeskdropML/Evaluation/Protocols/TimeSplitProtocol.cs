namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// The notebook's protocol: train = pairs whose last row (file order) is before the split time, test = the rest
/// (DESIGN section 3). One fold. Its default candidates are <see cref="CandidatePolicy.Catalog"/> (leaky) to reproduce
/// the notebook; <see cref="CandidatePolicy.Seen"/> and <see cref="CandidatePolicy.Available"/> use the split time.
/// Validation: the train pairs before <c>t_min + (1 − f)(t_max − t_min)</c> of the train pairs' times
/// (<see cref="ValidationFraction"/> f, default 0.2) against the later train pairs.
/// </summary>
/// <param name="splitTime">The split time (Unix seconds).</param>
/// <param name="validationFraction">The fraction of the train time span carved off for validation, in (0, 1).</param>
public sealed class TimeSplitProtocol(long splitTime, double validationFraction = 0.2) : PairSplitProtocol
{
    /// <summary>The split time.</summary>
    public long SplitTime { get; } = splitTime;

    /// <summary>The validation fraction.</summary>
    public double ValidationFraction { get; } = validationFraction > 0 && validationFraction < 1
        ? validationFraction
        : throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in (0, 1).");

    /// <inheritdoc />
    public override string Name => "time";

    /// <inheritdoc />
    protected override long? FoldTime(InteractionHistory history, ReadOnlySpan<int> pairs, bool validation) =>
        validation ? Carve(history, pairs) : SplitTime;

    /// <inheritdoc />
    protected override void AssignTest(InteractionHistory history, ReadOnlySpan<int> pairs, int fold, Span<bool> isTest)
    {
        var times = history.PairTimes;
        for (int j = 0; j < pairs.Length; j++) isTest[j] = times[pairs[j]] >= SplitTime;
    }

    /// <inheritdoc />
    protected override void AssignValidation(InteractionHistory history, ReadOnlySpan<int> pairs, Span<bool> isValidation)
    {
        long split = Carve(history, pairs);
        var times = history.PairTimes;
        for (int j = 0; j < pairs.Length; j++) isValidation[j] = times[pairs[j]] >= split;
    }

    private long Carve(InteractionHistory history, ReadOnlySpan<int> pairs)
    {
        var times = history.PairTimes;
        long tMin = long.MaxValue, tMax = long.MinValue;
        for (int j = 0; j < pairs.Length; j++) { tMin = Math.Min(tMin, times[pairs[j]]); tMax = Math.Max(tMax, times[pairs[j]]); }
        if (pairs.Length == 0) return SplitTime;
        return (long)Math.Ceiling(tMin + (1 - ValidationFraction) * ((double)tMax - tMin));
    }
}
