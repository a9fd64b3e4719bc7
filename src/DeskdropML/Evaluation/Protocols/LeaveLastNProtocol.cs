namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// Leave-last-N: for each user, the user's N latest pairs by pair time (ties: the later pair in first-appearance
/// order counts as later) go to test, clamped so that at least one pair stays in train. One fold. Validation: the
/// same rule over the train pairs.
/// </summary>
/// <param name="lastN">N ≥ 1. Default 1.</param>
public sealed class LeaveLastNProtocol(int lastN = 1) : PairSplitProtocol
{
    /// <summary>N.</summary>
    public int LastN { get; } = lastN >= 1 ? lastN : throw new ArgumentOutOfRangeException(nameof(lastN), lastN, "N must be at least 1.");

    /// <inheritdoc />
    public override string Name => "leave-last";

    /// <inheritdoc />
    protected override void AssignTest(InteractionHistory history, ReadOnlySpan<int> pairs, int fold, Span<bool> isTest)
    {
        var byUser = PositionsByUser(history, pairs);
        var times = history.PairTimes;
        foreach (var positions in byUser)
        {
            if (positions is null) continue;
            var order = positions.ToArray();
            var keys = new (long Time, int Position)[order.Length];
            for (int j = 0; j < order.Length; j++) keys[j] = (times[pairs[order[j]]], order[j]);
            Array.Sort(keys);
            int take = Math.Min(LastN, order.Length - 1);
            for (int j = keys.Length - take; j < keys.Length; j++) isTest[keys[j].Position] = true;
        }
    }
}
