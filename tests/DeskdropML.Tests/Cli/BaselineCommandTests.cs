using System.Text.Json;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Persistence;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Ease;
using DeskdropML.Trainers.Neighbors;

namespace DeskdropML.Tests.Cli;

/// <summary>--model itemknn | ease | svd through the real tool: evaluate, train + recommend, tune, and bad flags.</summary>
public class BaselineCommandTests
{
    private static JsonElement Evaluate(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(["evaluate", .. args, "--json"]);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public void Evaluate_itemknn_reports_what_the_library_computes_with_the_same_settings()
    {
        var r = Evaluate("--model", "itemknn", "--weighting", "bm25", "--neighbors", "30", "--bm25-k1", "2", "--bm25-b", "0.5");
        Assert.Equal("itemknn", r.GetProperty("model").GetString());
        var p = r.GetProperty("parameters");
        Assert.Equal("Bm25", p.GetProperty("weighting").GetString());
        Assert.Equal(30, p.GetProperty("neighbors").GetInt32());

        var ds = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Dataset;
        var model = new ItemKnnTrainer(new ItemKnnTrainer.Options { Weighting = ItemKnnWeighting.Bm25, NumberOfNeighbors = 30, Bm25K1 = 2, Bm25B = 0.5f })
            .Fit(ds.Train, ds.Users, ds.Items);
        var expected = RankingEvaluator.Evaluate(ds.Train, ds.Test, new ColdUserFallbackModel(model, ds.Train));
        // The JSON keeps 10 significant digits.
        AssertClose(expected.Ndcg, r.GetProperty("ndcg").GetDouble());
        AssertClose(expected.Precision, r.GetProperty("precision").GetDouble());

        // The per-user standard error of the mean NDCG: sample standard deviation over users / sqrt(users).
        var ndcg = expected.PerUser.Select(u => u.Metrics.Ndcg).ToArray();
        double mean = ndcg.Average();
        double se = Math.Sqrt(ndcg.Sum(v => (v - mean) * (v - mean)) / (ndcg.Length - 1) / ndcg.Length);
        AssertClose(se, r.GetProperty("standard_error").GetProperty("ndcg").GetDouble());
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Abs(expected), $"expected {expected}, got {actual}");

    [Fact]
    public void Evaluate_ease_and_svd_run_and_recency_changes_only_the_history()
    {
        var ease = Evaluate("--model", "ease", "--ease-lambda", "200");
        Assert.Equal(200, ease.GetProperty("parameters").GetProperty("lambda").GetDouble());
        var decayed = Evaluate("--model", "ease", "--ease-lambda", "200", "--recency-half-life-days", "7");
        Assert.NotEqual(ease.GetProperty("ndcg").GetDouble(), decayed.GetProperty("ndcg").GetDouble());
        var svd = Evaluate("--model", "svd", "--factors", "15", "--seed", "3");
        Assert.Equal(15, svd.GetProperty("parameters").GetProperty("factors").GetInt32());
        Assert.Equal(svd.GetProperty("ndcg").GetDouble(), Evaluate("--model", "svd", "--factors", "15", "--seed", "3", "--threads", "2").GetProperty("ndcg").GetDouble());
    }

    [Fact]
    public void Train_ease_then_recommend_gives_the_models_ranking()
    {
        string zip = Path.Combine(TestPaths.NewTempDirectory(), "ease.zip");
        var (code, _, stderr) = CliRunner.Run("train", "--model", "ease", "--ease-lambda", "300", "--out", zip);
        Assert.True(code == 0, stderr);
        var ds = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Dataset;
        string user = ds.Users[Enumerable.Range(0, ds.Users.Count).First(u => ds.Train.RowLength(u) > 3)];
        var (rc, stdout, err) = CliRunner.Run("recommend", "--model-file", zip, "--user", user, "--k", "5", "--json");
        Assert.True(rc == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        var items = doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("item").GetString()).ToList();
        var live = new EaseTrainer(new EaseTrainer.Options { L2 = 300 }).Fit(ds.Train, ds.Users, ds.Items);
        var expected = new Recommender(live, ds.Train, FactorizationModelZip.Load(zip).FallbackScores).Recommend(user, 5);
        Assert.Equal(expected.Items.Select(i => i.ItemId), items);
    }

    [Fact]
    public void Tune_searches_a_closed_form_model_with_one_fit_per_trial()
    {
        var (code, stdout, stderr) = CliRunner.Run("tune", "--model", "itemknn", "--trials", "3", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal(3, r.GetProperty("trials").GetArrayLength());
        Assert.All(r.GetProperty("trials").EnumerateArray(), t => Assert.Equal(1, t.GetProperty("budget").GetInt32()));
        Assert.True(r.GetProperty("best").TryGetProperty("weighting", out _));
    }

    [Theory]
    [InlineData("--neighbors", "--model", "itemknn", "--neighbors", "0")]
    [InlineData("--weighting", "--model", "itemknn", "--weighting", "none")]
    [InlineData("--bm25-b", "--model", "itemknn", "--weighting", "bm25", "--bm25-b", "2")]
    [InlineData("--bm25-k1", "--model", "als", "--weighting", "bm25", "--bm25-k1", "-1")]
    [InlineData("--ease-lambda", "--model", "ease", "--ease-lambda", "0")]
    [InlineData("--ease-max-items", "--model", "ease", "--ease-max-items", "100")]
    [InlineData("--factors", "--model", "svd", "--factors", "5000")]
    [InlineData("--iterations", "--model", "svd", "--iterations", "-1")]
    public void Bad_flags_exit_2_with_one_line_naming_the_flag(string flag, params string[] args)
    {
        var (code, _, stderr) = CliRunner.Run(["evaluate", .. args]);
        Assert.Equal(2, code);
        Assert.Contains(flag, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
