using System.Globalization;
using System.Text.Json;
using DeskdropML.Data;
using DeskdropML.Persistence;

namespace DeskdropML.Tests.Cli;

/// <summary>train, recommend, tune and reproduce through the real tool in separate processes.</summary>
public class ModelCommandTests
{
    [Fact]
    public void Train_then_recommend_in_a_fresh_process_gives_the_saved_models_ranking()
    {
        string zip = Path.Combine(TestPaths.NewTempDirectory(), "als.zip");
        var (code, _, stderr) = CliRunner.Run("train", "--model", "als", "--factors", "16", "--iterations", "5", "--out", zip);
        Assert.True(code == 0, stderr);

        var ds = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Dataset;
        string user = ds.Users[Enumerable.Range(0, ds.Users.Count).First(u => ds.Train.RowLength(u) > 3)];
        var (rc, stdout, err) = CliRunner.Run("recommend", "--model-file", zip, "--user", user, "--k", "5", "--json");
        Assert.True(rc == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(user, doc.RootElement.GetProperty("user").GetString());
        Assert.False(doc.RootElement.GetProperty("fallback").GetBoolean());
        var items = doc.RootElement.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("item").GetString()!, e.GetProperty("score").GetSingle())).ToList();

        // The typed model loaded here ranks the same items with bit-identical scores, and none is a train item.
        var expected = FactorizationModelZip.Load(zip).CreateRecommender().Recommend(user, 5);
        Assert.Equal(expected.Items.Select(i => (i.ItemId, i.Score)), items);
        int u0 = ds.Users.IndexOf(user);
        Assert.All(items, i => Assert.False(ds.Train.Contains(u0, ds.Items.IndexOf(i.Item1))));
    }

    [Fact]
    public void Recommend_for_an_unknown_user_uses_the_popularity_fallback_and_bad_files_exit_2()
    {
        string zip = Path.Combine(TestPaths.NewTempDirectory(), "warp.zip");
        Assert.Equal(0, CliRunner.Run("train", "--model", "warp", "--epochs", "2", "--out", zip).ExitCode);
        var (rc, stdout, _) = CliRunner.Run("recommend", "--model-file", zip, "--user", "no-such-user", "--k", "3", "--json");
        Assert.Equal(0, rc);
        using var doc = JsonDocument.Parse(stdout);
        Assert.True(doc.RootElement.GetProperty("fallback").GetBoolean());
        Assert.Equal(3, doc.RootElement.GetProperty("items").GetArrayLength());

        string notZip = Path.Combine(TestPaths.NewTempDirectory(), "x.zip");
        File.WriteAllText(notZip, "not a zip");
        var bad = CliRunner.Run("recommend", "--model-file", notZip, "--user", "u");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains(notZip, bad.StdErr);
        Assert.Equal(2, CliRunner.Run("recommend", "--model-file", "/no/such.zip", "--user", "u").ExitCode);
        Assert.Equal(2, CliRunner.Run("train", "--model", "popularity", "--out", Path.Combine(TestPaths.NewTempDirectory(), "p.zip")).ExitCode);
        // Without --model, train stops before reading any data, naming the flag.
        var noModel = CliRunner.Run("train", "--out", Path.Combine(TestPaths.NewTempDirectory(), "m.zip"), "--data", "/no/such/folder");
        Assert.Equal(2, noModel.ExitCode);
        Assert.Contains("train needs --model", noModel.StdErr);
        Assert.Equal(2, CliRunner.Run("evaluate", "--model", "warp", "--components", "0").ExitCode);
        Assert.Equal(2, CliRunner.Run("evaluate", "--model", "als", "--solver", "lu").ExitCode);
    }

    [Fact]
    public void Tune_selects_on_validation_and_reports_test_once()
    {
        var (code, stdout, stderr) = CliRunner.Run("tune", "--model", "als", "--trials", "3", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("als", r.GetProperty("model").GetString());
        Assert.True(r.TryGetProperty("selected_on", out _), "the DESIGN section 8 contract field");
        Assert.True(r.GetProperty("trials").GetArrayLength() >= 3);
        Assert.True(r.GetProperty("best").EnumerateObject().Any());
        foreach (var key in new[] { "precision", "recall", "ndcg", "map" })
        {
            Assert.InRange(r.GetProperty("test").GetProperty(key).GetDouble(), 0, 1);
            Assert.InRange(r.GetProperty("validation").GetProperty(key).GetDouble(), 0, 1);
        }
    }

    [Fact]
    public void Reproduce_quick_writes_every_task_the_report_and_the_model_zips()
    {
        string dir = TestPaths.NewTempDirectory();
        string json = Path.Combine(dir, "results.json");
        var (code, stdout, stderr) = CliRunner.Run("reproduce", "--quick", "--json", "--out", dir);
        Assert.True(code == 0, stderr);
        // --json is a flag as everywhere: results.json is always written to --out and also printed on stdout.
        Assert.Equal(File.ReadAllText(json).Trim(), stdout.Trim());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var tasks = doc.RootElement.GetProperty("tasks");
        foreach (var task in new[] { "data", "popularity", "warp", "text", "tuned_warp", "als", "tuned_als", "ffm", "baselines", "cross_check" })
            Assert.True(tasks.TryGetProperty(task, out _), $"task '{task}' missing from {json}");
        Assert.Equal(29_329, tasks.GetProperty("data").GetProperty("deskdrop").GetProperty("train_pairs").GetInt32());
        Assert.Equal(0.0047862, tasks.GetProperty("popularity").GetProperty("deskdrop").GetProperty("precision").GetDouble(), 1e-6);
        var check = tasks.GetProperty("cross_check");
        Assert.Equal(check.GetProperty("ndcg").GetDouble(), check.GetProperty("mlnet_ndcg").GetDouble(), 1e-6);
        foreach (var zip in new[] { "warp.zip", "als.zip", "ffm.zip" })
            Assert.True(File.Exists(Path.Combine(dir, zip)), zip);
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("Learning curves", html);
        Assert.Contains("Tuning trials", html);
    }
}

public class FeaturesCommandTests
{
    [Fact]
    public void Features_show_lists_an_articles_top_terms_and_unknown_items_exit_2()
    {
        var (code, stdout, stderr) = CliRunner.Run("features", "--benchmark", "deskdrop-text", "--preset", "clean", "--show", "3616722904601574426", "--top", "5", "--json");
        Assert.True(code == 0, stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal(242, r.GetProperty("items_with_text").GetInt32());
        var terms = r.GetProperty("top_terms").EnumerateArray().Select(t => t.GetProperty("term").GetString()).ToList();
        Assert.Equal(5, terms.Count);
        Assert.Contains("net", terms);
        Assert.DoesNotContain("de", terms); // a Portuguese stop word in a Portuguese article
        Assert.Equal(2, CliRunner.Run("features", "--benchmark", "deskdrop-text", "--show", "no-such-item").ExitCode);
        Assert.Equal(2, CliRunner.Run("features", "--preset", "fancy").ExitCode);
    }
}
