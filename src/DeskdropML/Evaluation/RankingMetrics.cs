using System.Buffers;

namespace DeskdropML.Evaluation;

/// <summary>
/// Top-k ranking metrics for implicit feedback (binary relevance), one user at a time, plus a reproduction of
/// scikit-learn's graded <c>ndcg_score</c> (see <see cref="NdcgScore"/>).
/// </summary>
/// <remarks>
/// <para>
/// Inputs: the user's relevant items T (item indices, sorted ascending, no duplicates — e.g. a row of a CSR
/// test matrix), a ranked list of item indices (best first, no repeated relevant item), and the cut-off k &gt; 0.
/// Only the first min(k, list length) positions are read; a list shorter than k is simply a list whose missing
/// positions are misses. Ranks r are counted from 1 and h is the number of relevant items among the first k.
/// </para>
/// <list type="bullet">
/// <item><description>precision@k = h / k. The denominator is k, not the list length: a list of 2 with one hit at
/// k = 5 gives 0.2.</description></item>
/// <item><description>recall@k = h / |T|.</description></item>
/// <item><description>NDCG@k = DCG@k / IDCG@k with gain 1 per relevant item and discount 1 / log2(r + 1):
/// DCG@k = Σ_{hits at r ≤ k} 1 / log2(r + 1), IDCG@k = Σ_{r=1}^{min(k, |T|)} 1 / log2(r + 1) (the DCG of a list
/// that puts min(k, |T|) relevant items first).</description></item>
/// <item><description>AP@k = (Σ_{hits at r ≤ k} precision@r) / min(k, |T|).</description></item>
/// <item><description>RR@k = 1 / r for the first hit at r ≤ k, 0 when there is none.</description></item>
/// <item><description>hit@k = 1 when h &gt; 0, else 0.</description></item>
/// </list>
/// <para>When T is empty every metric is 0 (ML.NET's convention for groups without a relevant item).
/// All methods are allocation-free except <see cref="NdcgScore"/>.</para>
/// </remarks>
public static partial class RankingMetrics
{
    /// <summary>Above this many relevant items the duplicate check rents its mark buffer from the shared pool.</summary>
    private const int StackMarkLimit = 512;

    /// <summary>precision@k = (relevant items among the first k of <paramref name="ranked"/>) / k.</summary>
    /// <inheritdoc cref="Compute" path="/param"/>
    /// <inheritdoc cref="Compute" path="/exception"/>
    public static double PrecisionAtK(ReadOnlySpan<int> relevant, ReadOnlySpan<int> ranked, int k) =>
        Compute(relevant, ranked, k).Precision;

    /// <summary>recall@k = (relevant items among the first k of <paramref name="ranked"/>) / |relevant|; 0 when relevant is empty.</summary>
    /// <inheritdoc cref="Compute" path="/param"/>
    /// <inheritdoc cref="Compute" path="/exception"/>
    public static double RecallAtK(ReadOnlySpan<int> relevant, ReadOnlySpan<int> ranked, int k) =>
        Compute(relevant, ranked, k).Recall;

    /// <summary>
    /// NDCG@k with binary gains: Σ_{hits at r ≤ k} 1/log2(r + 1) divided by Σ_{r=1}^{min(k, |T|)} 1/log2(r + 1);
    /// 0 when relevant is empty.
    /// </summary>
    /// <inheritdoc cref="Compute" path="/param"/>
    /// <inheritdoc cref="Compute" path="/exception"/>
    public static double NdcgAtK(ReadOnlySpan<int> relevant, ReadOnlySpan<int> ranked, int k) =>
        Compute(relevant, ranked, k).Ndcg;

    /// <summary>AP@k = (Σ_{hits at r ≤ k} precision@r) / min(k, |T|); 0 when relevant is empty.</summary>
    /// <inheritdoc cref="Compute" path="/param"/>
    /// <inheritdoc cref="Compute" path="/exception"/>
    public static double AveragePrecisionAtK(ReadOnlySpan<int> relevant, ReadOnlySpan<int> ranked, int k) =>
        Compute(relevant, ranked, k).AveragePrecision;

    /// <summary>1 / rank of the first relevant item within the first k positions (ranks from 1); 0 when there is none.</summary>
    /// <inheritdoc cref="Compute" path="/param"/>
    /// <inheritdoc cref="Compute" path="/exception"/>
    public static double ReciprocalRankAtK(ReadOnlySpan<int> relevant, ReadOnlySpan<int> ranked, int k) =>
        Compute(relevant, ranked, k).ReciprocalRank;

    /// <summary>1 when any of the first k positions holds a relevant item, else 0.</summary>
    /// <inheritdoc cref="Compute" path="/param"/>
    /// <inheritdoc cref="Compute" path="/exception"/>
    public static double HitAtK(ReadOnlySpan<int> relevant, ReadOnlySpan<int> ranked, int k) =>
        Compute(relevant, ranked, k).Hit;

    /// <summary>Computes every top-k metric of one user in one pass (definitions in <see cref="RankingMetrics"/>).</summary>
    /// <param name="relevant">The relevant item set T: item indices sorted ascending, without duplicates.</param>
    /// <param name="ranked">Item indices, best first. Only the first min(k, length) are read.</param>
    /// <param name="k">The cut-off, &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="relevant"/> is not sorted ascending without duplicates, or a
    /// relevant item appears more than once among the first k of <paramref name="ranked"/>.</exception>
    public static UserRankingMetrics Compute(ReadOnlySpan<int> relevant, ReadOnlySpan<int> ranked, int k)
    {
        if (k <= 0)
            throw new ArgumentOutOfRangeException(nameof(k), k, "The cut-off k must be a positive number of positions.");
        for (int i = 1; i < relevant.Length; i++)
        {
            if (relevant[i - 1] >= relevant[i])
                throw new ArgumentException(
                    $"The relevant items must be sorted ascending without duplicates; position {i} holds {relevant[i]} after {relevant[i - 1]}.",
                    nameof(relevant));
        }
        EnsureNoRepeatedHit(relevant, ranked[..Math.Min(k, ranked.Length)]);
        return ComputeUnchecked(relevant, ranked, k);
    }

    /// <summary>
    /// <see cref="Compute"/> without argument checks, for callers that guarantee a positive k, a sorted unique
    /// relevant set and a ranked list of distinct items (the evaluator's top-k output).
    /// </summary>
    internal static UserRankingMetrics ComputeUnchecked(ReadOnlySpan<int> relevant, ReadOnlySpan<int> ranked, int k)
    {
        if (relevant.IsEmpty) return default;
        int n = Math.Min(k, ranked.Length);
        int hits = 0;
        int firstHitRank = 0;
        double dcg = 0, precisionSum = 0;
        for (int p = 0; p < n; p++)
        {
            if (relevant.BinarySearch(ranked[p]) < 0) continue;
            int rank = p + 1;
            hits++;
            if (firstHitRank == 0) firstHitRank = rank;
            dcg += Discount(rank);
            precisionSum += (double)hits / rank;
        }
        if (hits == 0) return default;

        int idealCount = Math.Min(k, relevant.Length);
        double idcg = 0;
        for (int rank = 1; rank <= idealCount; rank++) idcg += Discount(rank);

        return new UserRankingMetrics(
            Precision: (double)hits / k,
            Recall: (double)hits / relevant.Length,
            Ndcg: dcg / idcg,
            AveragePrecision: precisionSum / idealCount,
            ReciprocalRank: 1.0 / firstHitRank,
            Hit: 1.0);
    }

    /// <summary>The positional discount 1 / log2(rank + 1) for a rank counted from 1.</summary>
    internal static double Discount(int rank) => 1.0 / Math.Log2(rank + 1.0);

    /// <summary>Throws when a relevant item occurs twice in <paramref name="topK"/> (it would be counted as two hits).</summary>
    private static void EnsureNoRepeatedHit(ReadOnlySpan<int> relevant, ReadOnlySpan<int> topK)
    {
        if (relevant.IsEmpty || topK.Length < 2) return;
        bool[]? rented = null;
        Span<bool> seen = relevant.Length <= StackMarkLimit
            ? stackalloc bool[StackMarkLimit]
            : (rented = ArrayPool<bool>.Shared.Rent(relevant.Length));
        seen = seen[..relevant.Length];
        seen.Clear();
        try
        {
            for (int p = 0; p < topK.Length; p++)
            {
                int at = relevant.BinarySearch(topK[p]);
                if (at < 0) continue;
                if (seen[at])
                    throw new ArgumentException(
                        $"Relevant item {topK[p]} appears more than once in the top {topK.Length} of the ranked list; a ranking must list each item at most once.",
                        "ranked");
                seen[at] = true;
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<bool>.Shared.Return(rented);
        }
    }
}
