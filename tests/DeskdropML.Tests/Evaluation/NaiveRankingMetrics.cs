using DeskdropML.Evaluation;

namespace DeskdropML.Tests.Evaluation;

/// <summary>A deliberately plain restatement of the metric definitions, used as an oracle in tests.</summary>
internal static class NaiveRankingMetrics
{
    public static UserRankingMetrics Compute(IReadOnlyCollection<int> relevant, IReadOnlyList<int> ranked, int k)
    {
        var set = new HashSet<int>(relevant);
        if (set.Count == 0) return default;
        var top = ranked.Take(k).ToList();
        var hitRanks = Enumerable.Range(1, top.Count).Where(r => set.Contains(top[r - 1])).ToList();
        double dcg = hitRanks.Sum(r => 1.0 / Math.Log(r + 1, 2));
        double idcg = Enumerable.Range(1, Math.Min(k, set.Count)).Sum(r => 1.0 / Math.Log(r + 1, 2));
        double precisionSum = hitRanks.Select((r, i) => (i + 1.0) / r).Sum();
        return new UserRankingMetrics(
            Precision: hitRanks.Count / (double)k,
            Recall: hitRanks.Count / (double)set.Count,
            Ndcg: dcg / idcg,
            AveragePrecision: precisionSum / Math.Min(k, set.Count),
            ReciprocalRank: hitRanks.Count == 0 ? 0 : 1.0 / hitRanks[0],
            Hit: hitRanks.Count == 0 ? 0 : 1);
    }

    public static void AssertClose(UserRankingMetrics expected, UserRankingMetrics actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Precision, actual.Precision, tolerance);
        Assert.Equal(expected.Recall, actual.Recall, tolerance);
        Assert.Equal(expected.Ndcg, actual.Ndcg, tolerance);
        Assert.Equal(expected.AveragePrecision, actual.AveragePrecision, tolerance);
        Assert.Equal(expected.ReciprocalRank, actual.ReciprocalRank, tolerance);
        Assert.Equal(expected.Hit, actual.Hit, tolerance);
    }
}
