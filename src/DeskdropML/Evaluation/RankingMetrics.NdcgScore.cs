namespace DeskdropML.Evaluation;

public static partial class RankingMetrics
{
    /// <summary>
    /// Graded NDCG averaged over rows, reproducing scikit-learn's <c>sklearn.metrics.ndcg_score</c>
    /// (checked against sklearn 1.2.1).
    /// </summary>
    /// <remarks>
    /// <para>For one row with true gains y (the raw <paramref name="yTrue"/> values, not 2^y − 1) and scores s over
    /// n documents, positions p = 1..n carry the discount d_p = 1 / log2(p + 1) when p ≤ k (all positions when
    /// <paramref name="k"/> is null) and 0 beyond k.</para>
    /// <para>DCG with <paramref name="ignoreTies"/> = true: sort documents by s descending and take
    /// Σ_p d_p · y_(p). Equal scores are ordered by <em>descending</em> document index — what numpy's
    /// <c>argsort(s)[::-1]</c> yields for the small rows sklearn's documentation uses (numpy does not specify its
    /// order of ties for long rows).</para>
    /// <para>DCG with <paramref name="ignoreTies"/> = false (sklearn's default): documents with equal scores form a
    /// tie group occupying consecutive positions P_g; each member's gain is replaced by the group's mean gain, so
    /// DCG = Σ_g mean_{i∈g}(y_i) · Σ_{p∈P_g} d_p — the expected DCG over all orderings of the ties.</para>
    /// <para>IDCG is the DCG of the row ranked by y itself. NDCG = DCG / IDCG, and 0 when IDCG = 0 (a row without
    /// any positive gain). The result is the unweighted mean of the row NDCGs.</para>
    /// </remarks>
    /// <param name="yTrue">True non-negative gains, one row per query; every row has the same length n ≥ 2.</param>
    /// <param name="yScore">Predicted scores, same shape as <paramref name="yTrue"/>; finite.</param>
    /// <param name="k">Only the first k positions count; null for all. Must be ≥ 1 when given.</param>
    /// <param name="ignoreTies">True ranks tied scores in a fixed order (faster in sklearn); false averages over ties.</param>
    /// <returns>The mean NDCG over rows, in [0, 1].</returns>
    /// <exception cref="ArgumentException">Empty input, ragged rows, shapes that differ, rows with fewer than 2 documents,
    /// negative or non-finite gains, or non-finite scores.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public static double NdcgScore(IReadOnlyList<double[]> yTrue, IReadOnlyList<double[]> yScore, int? k = null, bool ignoreTies = false)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yScore);
        if (k is int kk && kk < 1)
            throw new ArgumentOutOfRangeException(nameof(k), kk, "k must be at least 1 (or null for all positions).");
        if (yTrue.Count == 0)
            throw new ArgumentException("yTrue must hold at least one row.", nameof(yTrue));
        if (yScore.Count != yTrue.Count)
            throw new ArgumentException($"yScore has {yScore.Count} rows but yTrue has {yTrue.Count}; the shapes must match.", nameof(yScore));
        int n = yTrue[0]?.Length ?? throw new ArgumentException("Row 0 of yTrue is null.", nameof(yTrue));
        if (n < 2)
            throw new ArgumentException($"NDCG needs at least 2 documents per row; got {n}.", nameof(yTrue));

        for (int row = 0; row < yTrue.Count; row++)
            ValidateRow(yTrue[row], yScore[row], row, n);

        // Discount of each position (0-based p -> rank p + 1), zero beyond k.
        int cut = Math.Min(k ?? n, n);
        var discount = new double[n];
        for (int p = 0; p < cut; p++) discount[p] = Discount(p + 1);

        var order = new int[n];
        double sum = 0;
        for (int row = 0; row < yTrue.Count; row++)
        {
            double[] y = yTrue[row], s = yScore[row];
            double ideal = FixedOrderDcg(y, y, discount, order);
            if (ideal == 0) continue; // no positive gain: sklearn scores the row 0
            double dcg = ignoreTies ? FixedOrderDcg(y, s, discount, order) : TieAveragedDcg(y, s, discount, order);
            sum += dcg / ideal;
        }
        return sum / yTrue.Count;
    }

    private static void ValidateRow(double[]? y, double[]? s, int row, int n)
    {
        if (y is null || y.Length != n)
            throw new ArgumentException($"Row {row} of yTrue has {(y is null ? "no values" : y.Length + " values")}; every row must have {n}.", "yTrue");
        if (s is null || s.Length != n)
            throw new ArgumentException($"Row {row} of yScore has {(s is null ? "no values" : s.Length + " values")}; it must match yTrue's {n}.", "yScore");
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(y[i]) || y[i] < 0)
                throw new ArgumentException($"yTrue[{row}][{i}] = {y[i]}; gains must be finite and non-negative.", "yTrue");
            if (!double.IsFinite(s[i]))
                throw new ArgumentException($"yScore[{row}][{i}] = {s[i]}; scores must be finite.", "yScore");
        }
    }

    /// <summary>Σ_p discount[p] · y[order[p]] with order = by score descending, ties by descending index.</summary>
    private static double FixedOrderDcg(double[] y, double[] s, double[] discount, int[] order)
    {
        SortByScoreDescending(s, order);
        double dcg = 0;
        for (int p = 0; p < order.Length; p++)
        {
            if (discount[p] == 0) break;
            dcg += discount[p] * y[order[p]];
        }
        return dcg;
    }

    /// <summary>DCG where every tie group of equal scores contributes its mean gain times the sum of its discounts.</summary>
    private static double TieAveragedDcg(double[] y, double[] s, double[] discount, int[] order)
    {
        SortByScoreDescending(s, order);
        double dcg = 0;
        int start = 0;
        while (start < order.Length && discount[start] != 0)
        {
            int end = start + 1;
            while (end < order.Length && s[order[end]] == s[order[start]]) end++;
            double gainSum = 0, discountSum = 0;
            for (int p = start; p < end; p++)
            {
                gainSum += y[order[p]];
                discountSum += discount[p];
            }
            dcg += gainSum / (end - start) * discountSum;
            start = end;
        }
        return dcg;
    }

    /// <summary>Fills <paramref name="order"/> with 0..n−1 sorted by score descending, equal scores by descending index.</summary>
    private static void SortByScoreDescending(double[] s, int[] order)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            int c = s[b].CompareTo(s[a]);
            return c != 0 ? c : b.CompareTo(a);
        });
    }
}
