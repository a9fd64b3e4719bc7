using System.Globalization;
using System.Text.Json;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Sparse;
using DeskdropML.Tests.Cli;
using DeskdropML.Trainers.Als;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Evaluation;

/// <summary>
/// <c>mlContext.Recommenders().Evaluate</c> on a model fitted the ML.NET way (text ids mapped to keys) gives the same
/// metrics and intervals as <c>deskdrop evaluate</c> with the same settings and protocol, to 1e-9.
/// </summary>
public class DataViewEvaluationTests
{
    private const long Split = 5000;

    private sealed class Row
    {
        [LoadColumn(0)] public string User { get; set; } = "";
        [LoadColumn(1)] public string Item { get; set; } = "";
        [LoadColumn(2)] public double Timestamp { get; set; }
        [LoadColumn(3)] public float Weight { get; set; }
        [LoadColumn(4)] public float Label { get; set; }
    }

    /// <summary>A log with unique (user, item) pairs in two communities, weights from the Deskdrop strengths, a third of the pairs after the split.</summary>
    private static string WriteLog(string dir)
    {
        var random = new Random(3);
        var strengths = new[] { 1f, 2f, 2.5f, 3f, 4f };
        var lines = new List<string> { "user,item,timestamp,weight,label" };
        var seen = new HashSet<(int, int)>();
        while (seen.Count < 900)
        {
            // Two planted communities: even users read items 0..29, odd users items 30..59 (skewed towards the first).
            int u = random.Next(70), i = (u % 2) * 30 + (int)Math.Min(29, Math.Abs(random.NextDouble() - random.NextDouble()) * 40);
            if (!seen.Add((u, i))) continue;
            float w = strengths[random.Next(strengths.Length)];
            // The CLI smooths a pair's summed strength as log2(1 + sum); the label column carries the same float.
            float label = (float)Math.Log2(1 + (double)w);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"u{u:D2},i{i:D2},{random.Next(0, 7500)},{w},{label:R}"));
        }
        // Items that exist only after the split (a leak under catalog candidates, outside the seen ones).
        for (int n = 0; n < 30; n++)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"u{n * 2 + 1:D2},i{60 + n % 5:D2},{random.Next((int)Split, 7500)},1,1"));
        string path = Path.Combine(dir, "log.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Theory]
    [InlineData("seen")]
    [InlineData("catalog")]
    public void Equals_the_cli_evaluation(string policy)
    {
        string path = WriteLog(TestPaths.NewTempDirectory());
        var (code, stdout, stderr) = CliRunner.Run("evaluate", "--interactions", path, "--weight-col", "weight", "--split-time", Split.ToString(CultureInfo.InvariantCulture),
            "--min-items", "1", "--model", "als", "--candidates", policy, "--seed", "1", "--threads", "1", "--json");
        Assert.True(code == 0, stderr);
        var cli = JsonDocument.Parse(stdout).RootElement;

        var ml = new MLContext(seed: 1);
        var all = ml.Data.LoadFromTextFile<Row>(path, separatorChar: ',', hasHeader: true);
        var train = ml.Data.FilterRowsByColumn(all, nameof(Row.Timestamp), upperBound: Split);
        var test = ml.Data.FilterRowsByColumn(all, nameof(Row.Timestamp), lowerBound: Split);
        var ids = ml.Data.CreateEnumerable<Row>(all, reuseRowObject: false).ToList();
        var pipeline = ml.Transforms.Conversion.MapValueToKey("userKey", nameof(Row.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("itemKey", nameof(Row.Item)))
            .Append(ml.Recommenders().Trainers.Als(new AlsTrainer.Options
            {
                MatrixColumnIndexColumnName = "userKey",
                MatrixRowIndexColumnName = "itemKey",
                LabelColumnName = nameof(Row.Label),
                Seed = 1,
                NumberOfThreads = 1,
            }, userCatalog: IdMap.FromIds(ids.Select(r => r.User)), itemCatalog: IdMap.FromIds(ids.Select(r => r.Item))));
        var model = pipeline.Fit(train);
        var policyValue = CandidatePolicyNames.Parse(policy);
        var r = ml.Recommenders().Evaluate(model, train, test, k: 10, policyValue, userIdColumnName: nameof(Row.User), itemIdColumnName: nameof(Row.Item), numberOfThreads: 1);

        Assert.Equal(cli.GetProperty("users_evaluated").GetInt32(), r.Metrics.Units);
        foreach (var (name, value) in new[] { ("precision", r.Metrics.Means.Precision), ("recall", r.Metrics.Means.Recall), ("ndcg", r.Metrics.Means.Ndcg), ("map", r.Metrics.Means.Map) })
            Assert.Equal(cli.GetProperty(name).GetDouble(), value, 1e-9);
        var (lo, hi) = r.Metrics.Intervals[ReportedMetric.Ndcg];
        Assert.Equal(cli.GetProperty("ci").GetProperty("ndcg")[0].GetDouble(), lo, 1e-9);
        Assert.Equal(cli.GetProperty("ci").GetProperty("ndcg")[1].GetDouble(), hi, 1e-9);
        Assert.Equal(cli.GetProperty("random").GetProperty("ndcg").GetDouble(), r.Metrics.Random.Ndcg, 1e-9);
        Assert.Equal(cli.GetProperty("candidates").GetString(), policyValue.ToLabel());
        // Every test pair is accounted for.
        Assert.Equal(r.TestPairs, r.RelevantPairs + r.PairsOnEarlierItems + r.PairsOutsideCandidates);
        Assert.True(r.Metrics.Means.Ndcg > r.Metrics.Random.Ndcg, "the fixture should be learnable");
        if (policyValue == CandidatePolicy.Seen) Assert.True(r.PairsOutsideCandidates > 0, "the fixture should have items first seen in test");
    }

    [Fact]
    public void Unknown_test_users_are_cold_and_counted()
    {
        string path = WriteLog(TestPaths.NewTempDirectory());
        var ml = new MLContext(seed: 1);
        var all = ml.Data.LoadFromTextFile<Row>(path, separatorChar: ',', hasHeader: true);
        var train = ml.Data.FilterRowsByColumn(all, nameof(Row.Timestamp), upperBound: Split);
        var test = ml.Data.FilterRowsByColumn(all, nameof(Row.Timestamp), lowerBound: Split);
        var model = ml.Recommenders().Trainers.Als(new AlsTrainer.Options { UserIdColumnName = nameof(Row.User), ItemIdColumnName = nameof(Row.Item), Seed = 1, NumberOfThreads = 1 }).Fit(train);
        var r = ml.Recommenders().Evaluate(model, train, test);
        var trainUsers = ml.Data.CreateEnumerable<Row>(train, false).Select(x => x.User).ToHashSet();
        var testUsers = ml.Data.CreateEnumerable<Row>(test, false).Select(x => x.User).ToHashSet();
        Assert.True(r.UnknownUsers <= testUsers.Count(u => !trainUsers.Contains(u)));
        int coldUnits = r.Metrics.Folds[0].PerUser.Count(u => !u.IsWarm);
        Assert.Equal(r.UnknownUsers, coldUnits);
    }
}
