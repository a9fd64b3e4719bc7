namespace DeskdropML.Evaluation;

/// <summary>
/// Means of the per-user metrics of <see cref="UserRankingMetrics"/> over a set of evaluated users, summed in
/// ascending user index. All means are 0 when <see cref="Users"/> is 0.
/// </summary>
/// <param name="Users">Number of users averaged over.</param>
/// <param name="Precision">Mean precision@k.</param>
/// <param name="Recall">Mean recall@k.</param>
/// <param name="Ndcg">Mean NDCG@k.</param>
/// <param name="Map">Mean average precision at k (MAP@k).</param>
/// <param name="Mrr">Mean reciprocal rank of the first hit within the top k (MRR@k).</param>
/// <param name="HitRate">Fraction of users with at least one hit in their top k.</param>
public sealed record RankingMetricMeans(
    int Users,
    double Precision,
    double Recall,
    double Ndcg,
    double Map,
    double Mrr,
    double HitRate);
