using RankingMetrics = DeskdropML.Evaluation.RankingMetrics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Evaluation;

/// <summary>
/// NDCG@k agrees with ML.NET's <c>mlContext.Ranking.Evaluate</c> on random binary-labelled groups.
/// </summary>
/// <remarks>
/// ML.NET discounts by 1/ln(r + 1) instead of 1/log2(r + 1); the constant factor ln 2 cancels in DCG/IDCG. With
/// label gains "0,1" its gain is 1 per relevant item, as ours. It scores a group without relevant items 0 (ours: the
/// empty relevant set gives 0) and orders tied scores pessimistically (lower label first), which the tie test
/// reproduces by ordering the ranked list the same way.
/// </remarks>
public class MlNetNdcgAgreementTests
{
    private sealed class ScoredRow
    {
        [KeyType(GroupCount)]
        public uint GroupId { get; set; }

        public float Label { get; set; }

        public float Score { get; set; }
    }

    private const int GroupCount = 60;

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(10, false)]
    [InlineData(20, false)]
    [InlineData(5, true)]
    [InlineData(10, true)]
    public void NdcgAtKMatchesMlNetRankingEvaluate(int k, bool withTies)
    {
        var random = new Random(1000 * k + (withTies ? 1 : 0));
        var rows = new List<ScoredRow>();
        var ours = new List<double>();
        int groupsWithoutRelevant = 0;
        for (int g = 0; g < GroupCount; g++)
        {
            int n = random.Next(1, 31);
            float[] labels = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.25 ? 1f : 0f).ToArray();
            // Without ties: a random permutation of distinct scores. With ties: only 4 distinct score levels.
            float[] scores = withTies
                ? Enumerable.Range(0, n).Select(_ => (float)random.Next(4)).ToArray()
                : Enumerable.Range(0, n).OrderBy(_ => random.Next()).Select(i => i * 0.5f + 0.25f).ToArray();
            for (int i = 0; i < n; i++)
                rows.Add(new ScoredRow { GroupId = (uint)g + 1, Label = labels[i], Score = scores[i] });

            int[] relevant = Enumerable.Range(0, n).Where(i => labels[i] == 1f).ToArray();
            if (relevant.Length == 0) groupsWithoutRelevant++;
            // Descending score; ties pessimistically (non-relevant before relevant), as ML.NET does.
            int[] ranked = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => labels[i]).ToArray();
            ours.Add(RankingMetrics.NdcgAtK(relevant, ranked, k));
        }
        Assert.True(groupsWithoutRelevant > 0, "The sample should include groups without relevant items.");

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new RankingEvaluatorOptions { DcgTruncationLevel = k, LabelGains = "0,1" };
        var metrics = ml.Ranking.Evaluate(data, options, labelColumnName: "Label", rowGroupColumnName: "GroupId", scoreColumnName: "Score");

        double expected = metrics.NormalizedDiscountedCumulativeGains[k - 1];
        Assert.Equal(expected, ours.Average(), 1e-6);
    }

    /// <summary>Sanity check that the comparison can fail: an optimistic tie order disagrees with ML.NET.</summary>
    [Fact]
    public void OptimisticTieOrderDisagreesWithMlNet()
    {
        var rows = new List<ScoredRow>
        {
            new() { GroupId = 1, Label = 0, Score = 1 },
            new() { GroupId = 1, Label = 1, Score = 1 },
            new() { GroupId = 1, Label = 0, Score = 0 },
        };
        var ml = new MLContext(seed: 1);
        var metrics = ml.Ranking.Evaluate(ml.Data.LoadFromEnumerable(rows),
            new RankingEvaluatorOptions { DcgTruncationLevel = 3, LabelGains = "0,1" }, "Label", "GroupId", "Score");
        double pessimistic = RankingMetrics.NdcgAtK([1], [0, 1, 2], 3);
        double optimistic = RankingMetrics.NdcgAtK([1], [1, 0, 2], 3);
        Assert.Equal(pessimistic, metrics.NormalizedDiscountedCumulativeGains[2], 1e-6);
        Assert.NotEqual(optimistic, metrics.NormalizedDiscountedCumulativeGains[2], 3);
    }
}
