using System.Text.Json;

namespace DeskdropML.Tests.Cli;

public class EvaluateCommandTests
{
    [Fact]
    public void Evaluate_popularity_json_matches_the_design_table()
    {
        var (code, stdout, stderr) = CliRunner.Run("evaluate", "--model", "popularity", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("popularity", r.GetProperty("model").GetString());
        Assert.Equal("deskdrop", r.GetProperty("benchmark").GetString());
        Assert.Equal(10, r.GetProperty("k").GetInt32());
        Assert.Equal(982, r.GetProperty("users_evaluated").GetInt32());
        Assert.Equal(0.0047862, r.GetProperty("precision").GetDouble(), 1e-6);
        Assert.Equal(0.0056631, r.GetProperty("recall").GetDouble(), 1e-6);
        Assert.Equal(0.0049446, r.GetProperty("ndcg").GetDouble(), 1e-6);
        Assert.Equal(0.0014578, r.GetProperty("map").GetDouble(), 1e-6);
        Assert.Equal("time", r.GetProperty("protocol").GetString());
        Assert.Equal("catalog (leaky)", r.GetProperty("candidates").GetString());
        var ci = r.GetProperty("ci").GetProperty("ndcg");
        Assert.True(ci[0].GetDouble() < 0.0049446 && 0.0049446 < ci[1].GetDouble());
        Assert.True(r.GetProperty("fit_seconds").GetDouble() >= 0);
    }

    [Fact]
    public void Bad_model_and_k_exit_with_2()
    {
        Assert.Equal(2, CliRunner.Run("evaluate", "--model", "nope").ExitCode);
        Assert.Equal(2, CliRunner.Run("evaluate", "--k", "0").ExitCode);
    }
}

public class TwoStageCommandTests
{
    private static JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public void Generator_models_run_under_the_weekly_backtest_far_above_random()
    {
        var r = Json("evaluate", "--model", "fresh", "--protocol", "backtest", "--fold-days", "7", "--bootstrap", "50", "--json");
        Assert.Equal(2036, r.GetProperty("units").GetInt32());
        Assert.Equal(22, r.GetProperty("folds").GetInt32());
        double random = r.GetProperty("random").GetProperty("ndcg").GetDouble();
        Assert.True(r.GetProperty("ndcg").GetDouble() > 50 * random, r.ToString());
    }

    [Fact]
    public void Two_stage_reports_settings_and_importances_and_beats_random()
    {
        var r = Json("evaluate", "--model", "two-stage", "--protocol", "backtest", "--fold-days", "7", "--ranker-iterations", "10",
            "--retrain-days", "0", "--without-features", "user", "--bootstrap", "50", "--json");
        Assert.Equal(2036, r.GetProperty("units").GetInt32());
        var p = r.GetProperty("parameters");
        Assert.Equal(168, p.GetProperty("window_hours").GetDouble());
        Assert.Equal(12, p.GetProperty("training_windows").GetInt32());
        Assert.Equal(1, p.GetProperty("trainings").GetInt32());
        var features = p.GetProperty("features").EnumerateArray().Select(x => x.GetString()).ToList();
        Assert.DoesNotContain("user_idle_hours", features);
        Assert.Contains("pop_6h", features);
        Assert.Equal(features.Count, p.GetProperty("importance").EnumerateObject().Count());
        double random = r.GetProperty("random").GetProperty("ndcg").GetDouble();
        Assert.True(r.GetProperty("ndcg").GetDouble() > 50 * random, r.ToString());
    }

    [Fact]
    public void Validation_folds_come_before_the_split()
    {
        var r = Json("evaluate", "--model", "recency-6h", "--protocol", "backtest", "--fold-days", "7", "--evaluate-on", "validation", "--bootstrap", "50", "--json");
        Assert.Equal(2, r.GetProperty("folds").GetInt32());
    }

    [Fact]
    public void Misuse_exits_with_2_and_names_the_flag()
    {
        var (code, _, stderr) = CliRunner.Run("evaluate", "--model", "two-stage", "--protocol", "user-holdout");
        Assert.Equal(2, code);
        Assert.Contains("--protocol", stderr);
        Assert.Equal(2, CliRunner.Run("evaluate", "--model", "two-stage-without-nothing").ExitCode);
        (code, _, stderr) = CliRunner.Run("evaluate", "--model", "two-stage", "--protocol", "backtest", "--without-features", "colour");
        Assert.Equal(2, code);
        Assert.Contains("--without-features", stderr);
        (code, _, stderr) = CliRunner.Run("tune", "--model", "two-stage", "--trials", "2");
        Assert.Equal(2, code);
        Assert.Contains("--protocol backtest", stderr);
        (code, _, stderr) = CliRunner.Run("evaluate", "--model", "recency-6h", "--protocol", "backtest", "--evaluate-on", "future");
        Assert.Equal(2, code);
        Assert.Contains("--evaluate-on", stderr);
    }
}
