using DeskdropML.Evaluation;

namespace DeskdropML.Tests.Evaluation;

public class RankingMetricsTests
{
    private static readonly double Log2Of3 = Math.Log2(3);

    [Fact]
    public void KnownAnswersForEveryMetric()
    {
        // T = {2, 5, 9}, ranked [5, 1, 9, 2, 7], k = 4: hits at ranks 1, 3, 4 (items 5, 9, 2).
        int[] relevant = [2, 5, 9];
        int[] ranked = [5, 1, 9, 2, 7];
        var m = RankingMetrics.Compute(relevant, ranked, 4);
        Assert.Equal(3.0 / 4, m.Precision, 15);                       // 3 hits / k
        Assert.Equal(1.0, m.Recall, 15);                              // 3 hits / |T| = 3
        double dcg = 1 + 1 / Math.Log2(4) + 1 / Math.Log2(5);         // ranks 1, 3, 4
        double idcg = 1 + 1 / Log2Of3 + 1 / Math.Log2(4);             // min(4, 3) = 3 ideal positions
        Assert.Equal(dcg / idcg, m.Ndcg, 15);
        Assert.Equal((1.0 / 1 + 2.0 / 3 + 3.0 / 4) / 3, m.AveragePrecision, 15); // P@1, P@3, P@4 over min(4, 3)
        Assert.Equal(1.0, m.ReciprocalRank, 15);
        Assert.Equal(1.0, m.Hit, 15);
    }

    [Fact]
    public void ShortListStillDividesPrecisionByK()
    {
        // A list of 2 with 1 hit at k = 5: precision 1/5, AP = (1/2) / min(5, 2), first hit at rank 2.
        int[] relevant = [3, 8];
        int[] ranked = [1, 3];
        var m = RankingMetrics.Compute(relevant, ranked, 5);
        Assert.Equal(0.2, m.Precision, 15);
        Assert.Equal(0.5, m.Recall, 15);
        Assert.Equal((1 / Log2Of3) / (1 + 1 / Log2Of3), m.Ndcg, 15);
        Assert.Equal(0.25, m.AveragePrecision, 15);
        Assert.Equal(0.5, m.ReciprocalRank, 15);
        Assert.Equal(1.0, m.Hit, 15);
    }

    [Fact]
    public void HitsBeyondKAreIgnored()
    {
        int[] relevant = [4];
        int[] ranked = [1, 2, 4];
        Assert.Equal(default, RankingMetrics.Compute(relevant, ranked, 2));
        Assert.Equal(1.0 / 3, RankingMetrics.ReciprocalRankAtK(relevant, ranked, 3), 15);
        Assert.Equal(1.0, RankingMetrics.HitAtK(relevant, ranked, 3));
        Assert.Equal(1.0 / 3, RankingMetrics.AveragePrecisionAtK(relevant, ranked, 3), 15);
    }

    [Fact]
    public void EmptyRelevantSetGivesZeroEverywhere()
    {
        Assert.Equal(default, RankingMetrics.Compute([], [1, 2, 3], 3));
    }

    [Fact]
    public void RejectsNonPositiveK()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Compute([1], [1], 0));
        Assert.Equal("k", e.ParamName);
    }

    [Fact]
    public void RejectsUnsortedOrRepeatedRelevantItems()
    {
        var e = Assert.Throws<ArgumentException>(() => RankingMetrics.Compute([3, 1], [1], 1));
        Assert.Equal("relevant", e.ParamName);
        Assert.Contains("sorted", e.Message);
        Assert.Throws<ArgumentException>(() => RankingMetrics.Compute([1, 1], [1], 1));
    }

    [Fact]
    public void RejectsARelevantItemListedTwiceInTheTopK()
    {
        var e = Assert.Throws<ArgumentException>(() => RankingMetrics.Compute([1, 2], [1, 5, 1], 3));
        Assert.Equal("ranked", e.ParamName);
        // Beyond k the repetition is not read, so it is not an error.
        Assert.Equal(0.5, RankingMetrics.PrecisionAtK([1, 2], [1, 5, 1], 2), 15);
        // Large relevant sets use the pooled mark buffer.
        int[] many = Enumerable.Range(0, 2000).ToArray();
        Assert.Throws<ArgumentException>(() => RankingMetrics.Compute(many, [1999, 3, 1999], 3));
    }

    [Fact]
    public void AgreesWithNaiveDefinitionsOnRandomLists()
    {
        var random = new Random(20261128);
        for (int trial = 0; trial < 2000; trial++)
        {
            int items = random.Next(1, 60);
            int[] relevant = Enumerable.Range(0, items).Where(_ => random.NextDouble() < 0.2).ToArray();
            int[] ranked = Enumerable.Range(0, items).OrderBy(_ => random.Next()).Take(random.Next(0, items + 1)).ToArray();
            int k = random.Next(1, items + 5);
            NaiveRankingMetrics.AssertClose(NaiveRankingMetrics.Compute(relevant, ranked, k), RankingMetrics.Compute(relevant, ranked, k));
        }
    }

    [Fact]
    public void NdcgScoreValidatesItsInput()
    {
        double[][] y = [[1, 0, 2]];
        double[][] s = [[0.1, 0.2, 0.3]];
        Assert.Equal(1.0, RankingMetrics.NdcgScore(y, [[2.0, 1.0, 3.0]]), 15); // order 2, 0, 1 is ideal
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.NdcgScore(y, s, 0)).ParamName);
        Assert.Equal("yScore", Assert.Throws<ArgumentException>(() => RankingMetrics.NdcgScore(y, [[0.1, 0.2]])).ParamName);
        Assert.Equal("yScore", Assert.Throws<ArgumentException>(() => RankingMetrics.NdcgScore(y, [s[0], s[0]])).ParamName);
        Assert.Equal("yTrue", Assert.Throws<ArgumentException>(() => RankingMetrics.NdcgScore([[1, -1, 0]], s)).ParamName);
        Assert.Equal("yTrue", Assert.Throws<ArgumentException>(() => RankingMetrics.NdcgScore([[1.0]], [[0.5]])).ParamName);
        Assert.Equal("yTrue", Assert.Throws<ArgumentException>(() => RankingMetrics.NdcgScore([], [])).ParamName);
        Assert.Equal("yScore", Assert.Throws<ArgumentException>(() => RankingMetrics.NdcgScore(y, [[0.1, double.NaN, 0]])).ParamName);
    }

    [Fact]
    public void NdcgScoreOfRowWithoutGainIsZeroAndCountsInTheMean()
    {
        // Row 0 is ranked perfectly (1.0); row 1 has no positive gain (0 by sklearn's rule) -> mean 0.5.
        double[][] y = [[0, 3, 1], [0, 0, 0]];
        double[][] s = [[0.0, 2.0, 1.0], [0.3, 0.2, 0.1]];
        Assert.Equal(0.5, RankingMetrics.NdcgScore(y, s), 15);
    }

    [Fact]
    public void NdcgScoreWithBinaryGainsAndDistinctScoresEqualsNdcgAtK()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(2, 40);
            double[] yTrue = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
            double[] yScore = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Select(i => (double)i).ToArray();
            int k = random.Next(1, n + 3);
            int[] relevant = Enumerable.Range(0, n).Where(i => yTrue[i] == 1).ToArray();
            int[] ranked = Enumerable.Range(0, n).OrderByDescending(i => yScore[i]).ToArray();
            double expected = RankingMetrics.NdcgAtK(relevant, ranked, k);
            Assert.Equal(expected, RankingMetrics.NdcgScore([yTrue], [yScore], k, ignoreTies: false), 12);
            Assert.Equal(expected, RankingMetrics.NdcgScore([yTrue], [yScore], k, ignoreTies: true), 12);
        }
    }

    [Fact]
    public void TieAveragedNdcgIsTheMeanOverOrderingsOfTheTies()
    {
        // Scores tie items 0, 1, 2; the tie-averaged DCG is the average DCG over the 3! orderings of that group.
        double[] yTrue = [3, 0, 1, 2];
        double[] yScore = [0.5, 0.5, 0.5, 0.9];
        int[][] permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (int k in new[] { 1, 2, 3, 4 })
        {
            double mean = permutations.Average(p =>
            {
                // Distinct scores realising the order: item 3 first, then p[0], p[1], p[2].
                double[] s = new double[4];
                s[3] = 10;
                for (int pos = 0; pos < 3; pos++) s[p[pos]] = 3 - pos;
                return RankingMetrics.NdcgScore([yTrue], [s], k);
            });
            Assert.Equal(mean, RankingMetrics.NdcgScore([yTrue], [yScore], k), 12);
        }
    }
}
