namespace DeskdropML.Evaluation;

/// <summary>
/// The top-k ranking metrics of one user (one ranked list against one relevant set), as computed by
/// <see cref="RankingMetrics.Compute"/>. Every value lies in [0, 1].
/// </summary>
/// <remarks>
/// With T the relevant set, k the cut-off, h the number of relevant items in the first k positions and
/// rank r counted from 1:
/// <list type="bullet">
/// <item><description><see cref="Precision"/> = h / k (k, not the list length).</description></item>
/// <item><description><see cref="Recall"/> = h / |T|.</description></item>
/// <item><description><see cref="Ndcg"/> = DCG / IDCG, DCG = Σ over hits at r ≤ k of 1 / log2(r + 1),
/// IDCG = Σ_{r=1}^{min(k, |T|)} 1 / log2(r + 1).</description></item>
/// <item><description><see cref="AveragePrecision"/> = (Σ over hits at r ≤ k of precision@r) / min(k, |T|).</description></item>
/// <item><description><see cref="ReciprocalRank"/> = 1 / r of the first hit at r ≤ k, 0 when there is none.</description></item>
/// <item><description><see cref="Hit"/> = 1 when h &gt; 0, else 0.</description></item>
/// </list>
/// When T is empty every value is 0.
/// </remarks>
/// <param name="Precision">precision@k.</param>
/// <param name="Recall">recall@k.</param>
/// <param name="Ndcg">NDCG@k with binary gains.</param>
/// <param name="AveragePrecision">AP@k (its mean over users is MAP@k).</param>
/// <param name="ReciprocalRank">Reciprocal rank of the first hit within the top k (its mean is MRR).</param>
/// <param name="Hit">1 when any of the top k is relevant (its mean is the hit rate).</param>
public readonly record struct UserRankingMetrics(
    double Precision,
    double Recall,
    double Ndcg,
    double AveragePrecision,
    double ReciprocalRank,
    double Hit);
