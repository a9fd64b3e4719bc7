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
