namespace DeskdropML.Evaluation;

/// <summary>The metrics of one evaluated user.</summary>
/// <param name="UserIndex">Row of the train/test matrices.</param>
/// <param name="TrainItems">Number of the user's training items (0 for a cold user).</param>
/// <param name="TestItems">Number of the user's test items |T_u| (≥ 1).</param>
/// <param name="Metrics">The user's top-k metrics.</param>
public readonly record struct UserRankingEvaluation(int UserIndex, int TrainItems, int TestItems, UserRankingMetrics Metrics)
{
    /// <summary>True when the user has at least one training item.</summary>
    public bool IsWarm => TrainItems > 0;
}
