using DeskdropML.Evaluation;

namespace DeskdropML.Tests.Evaluation;

/// <summary>Every case of shared/reference/metric_vectors.json, to 1e-9.</summary>
public class ReferenceVectorTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string> MetricCaseNames() =>
        new(MetricReferenceFile.Cases("metric_cases").Select(c => c.GetProperty("name").GetString()!));

    public static TheoryData<string> NdcgScoreCaseNames() =>
        new(MetricReferenceFile.Cases("ndcg_score_cases").Select(c => c.GetProperty("name").GetString()!));

    [Fact]
    public void ReferenceFileHasTheExpectedCases()
    {
        Assert.Equal("1.2.1", MetricReferenceFile.Root.GetProperty("sklearn_version").GetString());
        Assert.True(MetricReferenceFile.Cases("metric_cases").Count() >= 5);
        Assert.True(MetricReferenceFile.Cases("ndcg_score_cases").Count() >= 3);
    }

    [Theory]
    [MemberData(nameof(MetricCaseNames))]
    public void PrecisionRecallNdcgMatchReference(string name)
    {
        var c = MetricReferenceFile.Case("metric_cases", name);
        int[] relevant = MetricReferenceFile.Ints(c.GetProperty("relevant"));
        Array.Sort(relevant);
        int[] ranked = MetricReferenceFile.Ints(c.GetProperty("recommended"));
        int k = c.GetProperty("k").GetInt32();

        Assert.Equal(c.GetProperty("precision").GetDouble(), RankingMetrics.PrecisionAtK(relevant, ranked, k), Tolerance);
        Assert.Equal(c.GetProperty("recall").GetDouble(), RankingMetrics.RecallAtK(relevant, ranked, k), Tolerance);
        Assert.Equal(c.GetProperty("ndcg").GetDouble(), RankingMetrics.NdcgAtK(relevant, ranked, k), Tolerance);

        var all = RankingMetrics.Compute(relevant, ranked, k);
        Assert.Equal(c.GetProperty("precision").GetDouble(), all.Precision, Tolerance);
        Assert.Equal(c.GetProperty("recall").GetDouble(), all.Recall, Tolerance);
        Assert.Equal(c.GetProperty("ndcg").GetDouble(), all.Ndcg, Tolerance);
    }

    /// <summary>
    /// sklearn_ndcg_score_k is sklearn's ndcg_score(k) on one row over the documents recommended ∪ relevant, the
    /// recommended ones scored by position and the rest below them (null when the list is shorter than k, where
    /// unranked relevant documents would enter the top k).
    /// </summary>
    [Theory]
    [MemberData(nameof(MetricCaseNames))]
    public void SklearnNdcgScoreOfTheSameListMatchesReference(string name)
    {
        var c = MetricReferenceFile.Case("metric_cases", name);
        var expected = c.GetProperty("sklearn_ndcg_score_k");
        if (expected.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            Assert.True(MetricReferenceFile.Ints(c.GetProperty("recommended")).Length < c.GetProperty("k").GetInt32());
            return;
        }
        int[] relevant = MetricReferenceFile.Ints(c.GetProperty("relevant"));
        int[] ranked = MetricReferenceFile.Ints(c.GetProperty("recommended"));
        int k = c.GetProperty("k").GetInt32();
        int[] documents = ranked.Union(relevant).OrderBy(d => d).ToArray();
        var yTrue = documents.Select(d => relevant.Contains(d) ? 1.0 : 0.0).ToArray();
        var yScore = documents.Select(d =>
        {
            int position = Array.IndexOf(ranked, d);
            return position >= 0 ? ranked.Length - position : -1.0 - d; // unranked: below every ranked document
        }).ToArray();

        double actual = RankingMetrics.NdcgScore([yTrue], [yScore], k);
        Assert.Equal(expected.GetDouble(), actual, Tolerance);
    }

    [Theory]
    [MemberData(nameof(NdcgScoreCaseNames))]
    public void NdcgScoreMatchesSklearnForEveryVariant(string name)
    {
        var c = MetricReferenceFile.Case("ndcg_score_cases", name);
        double[][] yTrue = MetricReferenceFile.Matrix(c.GetProperty("y_true"));
        double[][] yScore = MetricReferenceFile.Matrix(c.GetProperty("y_score"));
        int checkedVariants = 0;
        foreach (var property in c.EnumerateObject())
        {
            if (!property.Name.StartsWith("k=", StringComparison.Ordinal)) continue;
            // "k=None,ignore_ties=False"
            string[] parts = property.Name.Split(',');
            string kText = parts[0]["k=".Length..];
            int? k = kText == "None" ? null : int.Parse(kText, System.Globalization.CultureInfo.InvariantCulture);
            bool ignoreTies = parts[1] == "ignore_ties=True";
            Assert.True(ignoreTies || parts[1] == "ignore_ties=False", $"Unexpected variant '{property.Name}'.");

            double actual = RankingMetrics.NdcgScore(yTrue, yScore, k, ignoreTies);
            Assert.True(Math.Abs(property.Value.GetDouble() - actual) <= Tolerance,
                $"{name} {property.Name}: expected {property.Value.GetDouble():R}, got {actual:R}.");
            checkedVariants++;
        }
        Assert.Equal(6, checkedVariants);
    }
}
