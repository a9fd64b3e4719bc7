namespace DeskdropML.Evaluation;

/// <summary>
/// The exact expected top-k metrics of a uniformly random ranking of C candidates of which R are relevant
/// (DESIGN section 7), computed analytically.
/// </summary>
/// <remarks>
/// With m = min(k, C) ranked positions and |T| the size of the relevant set used as denominator (|T| ≥ R when some
/// relevant items cannot be ranked): every position holds a relevant item with probability R/C, so
/// E[hits] = m·R/C, E[precision@k] = E[hits]/k, E[recall@k] = E[hits]/|T|,
/// E[NDCG@k] = (R/C)·Σ_{j=0}^{m−1} 1/log2(j + 2) / IDCG(min(k, |T|)), and
/// E[hit@k] = 1 − Π_{j=0}^{m−1} (C − R − j)/(C − j) (hypergeometric: no relevant item among m draws).
/// All are 0 when C = 0 or R = 0.
/// </remarks>
/// <param name="Precision">E[precision@k].</param>
/// <param name="Recall">E[recall@k].</param>
/// <param name="Ndcg">E[NDCG@k].</param>
/// <param name="Hit">E[hit@k].</param>
public readonly record struct RandomExpectation(double Precision, double Recall, double Ndcg, double Hit)
{
    /// <summary>The expectation for one unit.</summary>
    /// <param name="candidates">C, the number of items that may be ranked.</param>
    /// <param name="rankableRelevant">R, the relevant items among the candidates (R ≤ C).</param>
    /// <param name="relevant">|T|, the size of the relevant set (denominator of recall and of the ideal DCG); ≥ R.</param>
    /// <param name="k">The cut-off, ≥ 1.</param>
    public static RandomExpectation Compute(int candidates, int rankableRelevant, int relevant, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (rankableRelevant > candidates || rankableRelevant > relevant || rankableRelevant < 0)
            throw new ArgumentException($"Need 0 <= R <= min(C, |T|); got C = {candidates}, R = {rankableRelevant}, |T| = {relevant}.");
        if (candidates == 0 || rankableRelevant == 0) return default;
        int m = Math.Min(k, candidates);
        double p = (double)rankableRelevant / candidates;
        double hits = m * p;
        double dcg = 0;
        for (int j = 0; j < m; j++) dcg += 1.0 / Math.Log2(j + 2);
        double idcg = 0;
        for (int j = 0, n = Math.Min(k, relevant); j < n; j++) idcg += 1.0 / Math.Log2(j + 2);
        double none = 1;
        for (int j = 0; j < m && none > 0; j++) none *= (double)(candidates - rankableRelevant - j) / (candidates - j);
        return new RandomExpectation(hits / k, hits / relevant, p * dcg / idcg, 1 - Math.Max(0, none));
    }
}
