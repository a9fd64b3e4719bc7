namespace DeskdropML.Evaluation;

/// <summary>
/// Everything measured for one evaluation unit (a user in one fold) besides its metrics: the random expectation
/// over the same candidates, the top-k slots given to items without a training entry, and the metrics among warm
/// and among new candidates only.
/// </summary>
/// <param name="Candidates">C: items the unit could be recommended (candidates minus the user's earlier items).</param>
/// <param name="Random">The exact expectation of a uniformly random ranking of those C items.</param>
/// <param name="Slots">Positions filled in the top k (min(k, C)).</param>
/// <param name="ColdSlots">Of those, positions holding an item without any training entry.</param>
/// <param name="WarmOnly">Metrics when only items with a training entry are ranked and relevant; null when none of the unit's relevant items is warm.</param>
/// <param name="NewOnly">Metrics when only items without a training entry are ranked and relevant; null when none of the unit's relevant items is new.</param>
public readonly record struct UnitEvaluation(int Candidates, RandomExpectation Random, int Slots, int ColdSlots,
    UserRankingMetrics? WarmOnly, UserRankingMetrics? NewOnly);
