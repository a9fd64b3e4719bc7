namespace DeskdropML.Evaluation;

/// <summary>
/// The outcome of <see cref="RankingEvaluator.Evaluate(Sparse.CsrMatrix, Sparse.CsrMatrix, UserScorer, RankingEvaluationOptions?)"/>:
/// mean top-k metrics over the evaluated users, split into warm and cold users, catalogue coverage and the
/// per-user values.
/// </summary>
/// <remarks>
/// Evaluated users are the rows of the test matrix with at least one stored entry; warm users also have at least
/// one stored training entry, cold users have none. Means are unweighted over users (every evaluated user counts
/// once, whatever |T_u|).
/// </remarks>
public sealed class RankingEvaluationResult
{
    private readonly UserRankingEvaluation[] _perUser;

    internal RankingEvaluationResult(int k, bool excludeTrainItems, RankingMetricMeans all, RankingMetricMeans warm,
        RankingMetricMeans cold, double catalogCoverage, UserRankingEvaluation[] perUser)
    {
        K = k;
        ExcludeTrainItems = excludeTrainItems;
        All = all;
        Warm = warm;
        Cold = cold;
        CatalogCoverage = catalogCoverage;
        _perUser = perUser;
    }

    /// <summary>The cut-off k the metrics were computed at.</summary>
    public int K { get; }

    /// <summary>Whether each user's training items were removed from the candidates.</summary>
    public bool ExcludeTrainItems { get; }

    /// <summary>Means over all evaluated users.</summary>
    public RankingMetricMeans All { get; }

    /// <summary>Means over evaluated users with at least one training entry.</summary>
    public RankingMetricMeans Warm { get; }

    /// <summary>Means over evaluated users without any training entry.</summary>
    public RankingMetricMeans Cold { get; }

    /// <summary>Number of evaluated users (test rows with at least one stored entry).</summary>
    public int UsersEvaluated => All.Users;

    /// <summary>Mean precision@k over evaluated users.</summary>
    public double Precision => All.Precision;

    /// <summary>Mean recall@k over evaluated users.</summary>
    public double Recall => All.Recall;

    /// <summary>Mean NDCG@k over evaluated users.</summary>
    public double Ndcg => All.Ndcg;

    /// <summary>MAP@k: mean average precision at k over evaluated users.</summary>
    public double Map => All.Map;

    /// <summary>MRR: mean reciprocal rank of the first hit within the top k over evaluated users.</summary>
    public double Mrr => All.Mrr;

    /// <summary>Fraction of evaluated users with at least one relevant item in their top k.</summary>
    public double HitRate => All.HitRate;

    /// <summary>
    /// Distinct items appearing in the top k of at least one evaluated user, divided by the number of items
    /// (columns); 0 when there are no items.
    /// </summary>
    public double CatalogCoverage { get; }

    /// <summary>The metrics of every evaluated user, in ascending user index.</summary>
    public IReadOnlyList<UserRankingEvaluation> PerUser => _perUser;

    /// <summary>Per-unit extras (candidates, random expectation, cold slots, item-subset metrics), aligned with <see cref="PerUser"/>.</summary>
    public IReadOnlyList<UnitEvaluation> Units { get; internal init; } = Array.Empty<UnitEvaluation>();

    /// <summary>The exact expected metrics of a uniformly random ranking over the same candidates, averaged over the same units.</summary>
    public RandomExpectation Random { get; internal init; }

    /// <summary>
    /// Cold share: top-k positions filled by items without any training entry, divided by all filled positions
    /// (pooled over units). Under a leak-free policy such items are new; under <c>catalog</c> they are the leak.
    /// </summary>
    public double ColdShare { get; internal init; }

    /// <summary>
    /// Means when each unit ranks only candidates with a training entry and only those count as relevant; units with no
    /// such relevant item are left out (their count is <c>Users</c>). Null when the diagnostics were off.
    /// </summary>
    public RankingMetricMeans? WarmItemsOnly { get; internal init; }

    /// <summary>Means when each unit ranks only candidates without a training entry (new items); as <see cref="WarmItemsOnly"/>.</summary>
    public RankingMetricMeans? NewItemsOnly { get; internal init; }

    /// <summary>Distinct items in any unit's top k divided by the number of candidates (0 when there is none).</summary>
    public double CandidateCoverage { get; internal init; }
}
