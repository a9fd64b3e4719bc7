using DeskdropML.Evaluation;
using FsCheck.Xunit;

namespace DeskdropML.Tests.Evaluation;

/// <summary>Properties of the per-user metrics over FsCheck-generated relevant sets, rankings and cut-offs.</summary>
public class RankingMetricsPropertyTests
{
    /// <summary>Maps arbitrary integers into a small catalogue so that hits are frequent.</summary>
    private static int[] DistinctItems(int[]? raw, int catalogue) =>
        (raw ?? []).Select(x => (int)((uint)x % (uint)catalogue)).Distinct().ToArray();

    private static int CutOff(int raw) => 1 + (int)((uint)raw % 40u);

    [Property(MaxTest = 500)]
    public bool EveryMetricLiesInTheUnitInterval(int[] relevantRaw, int[] rankedRaw, int kRaw)
    {
        int[] relevant = DistinctItems(relevantRaw, 30);
        Array.Sort(relevant);
        int[] ranked = DistinctItems(rankedRaw, 30);
        var m = RankingMetrics.Compute(relevant, ranked, CutOff(kRaw));
        double[] values = [m.Precision, m.Recall, m.Ndcg, m.AveragePrecision, m.ReciprocalRank, m.Hit];
        return values.All(v => v >= 0 && v <= 1);
    }

    [Property(MaxTest = 500)]
    public bool MatchesTheNaiveDefinitions(int[] relevantRaw, int[] rankedRaw, int kRaw)
    {
        int[] relevant = DistinctItems(relevantRaw, 30);
        Array.Sort(relevant);
        int[] ranked = DistinctItems(rankedRaw, 30);
        int k = CutOff(kRaw);
        var expected = NaiveRankingMetrics.Compute(relevant, ranked, k);
        var actual = RankingMetrics.Compute(relevant, ranked, k);
        return Close(expected.Precision, actual.Precision) && Close(expected.Recall, actual.Recall)
            && Close(expected.Ndcg, actual.Ndcg) && Close(expected.AveragePrecision, actual.AveragePrecision)
            && Close(expected.ReciprocalRank, actual.ReciprocalRank) && expected.Hit == actual.Hit;
    }

    /// <summary>
    /// A ranking that lists every relevant item (in any order) before any other item has NDCG 1, AP 1, RR 1 and
    /// precision min(k, |T|) / k.
    /// </summary>
    [Property(MaxTest = 500)]
    public bool PerfectRankingScoresOne(int[] relevantRaw, int[] othersRaw, int kRaw)
    {
        int[] relevant = DistinctItems(relevantRaw, 50);
        if (relevant.Length == 0) return true;
        int[] others = DistinctItems(othersRaw, 50).Except(relevant).ToArray();
        int[] ranked = [.. relevant, .. others];          // relevant in generation order, then the rest
        Array.Sort(relevant);
        int k = CutOff(kRaw);
        var m = RankingMetrics.Compute(relevant, ranked, k);
        int ideal = Math.Min(k, relevant.Length);
        return Close(m.Ndcg, 1) && Close(m.AveragePrecision, 1) && m.ReciprocalRank == 1 && m.Hit == 1
            && Close(m.Precision, (double)ideal / k) && Close(m.Recall, (double)ideal / relevant.Length);
    }

    /// <summary>Ranking the whole catalogue with k = catalogue size finds every relevant item.</summary>
    [Property(MaxTest = 300)]
    public bool RecallAtCatalogueSizeIsOne(int[] relevantRaw, int seed)
    {
        const int catalogue = 40;
        int[] relevant = DistinctItems(relevantRaw, catalogue);
        if (relevant.Length == 0) return true;
        Array.Sort(relevant);
        var random = new Random(seed);
        int[] ranked = Enumerable.Range(0, catalogue).OrderBy(_ => random.Next()).ToArray();
        return RankingMetrics.RecallAtK(relevant, ranked, catalogue) == 1.0;
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-12;
}
