using System.Text.Json;
using DeskdropML.Tests.Data;

namespace DeskdropML.Tests.Cli;

public class DataCommandTests
{
    [Fact]
    public void Data_json_prints_the_design_facts()
    {
        var (code, stdout, _) = CliRunner.Run("data", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal(72_312, r.GetProperty("interactions_raw").GetInt64());
        Assert.Equal(1_895, r.GetProperty("users_total").GetInt32());
        Assert.Equal(1_140, r.GetProperty("users_kept").GetInt32());
        Assert.Equal(69_868, r.GetProperty("interactions_kept").GetInt64());
        Assert.Equal(39_106, r.GetProperty("pairs").GetInt32());
        Assert.Equal(2_984, r.GetProperty("items").GetInt32());
        Assert.Equal(29_329, r.GetProperty("train_pairs").GetInt32());
        Assert.Equal(9_777, r.GetProperty("test_pairs").GetInt32());
        Assert.Equal(982, r.GetProperty("test_users").GetInt32());
        Assert.Equal(0, r.GetProperty("rows_rejected").GetInt64());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("user,item,time\nu,i,1\n", "column 'timestamp'")]
    [InlineData("user,item,timestamp\nu,i,1\nu,i\n", ":3:")]
    [InlineData("user,item,timestamp\nu,i,x1\n", ":2:5: column 'timestamp'")]
    [InlineData("user,item,timestamp,event\nu,i,1,SHARE\n", "unknown event type 'SHARE'")]
    [InlineData("user,user,timestamp\nu,i,1\n", "twice")]
    public void Bad_input_prints_one_line_and_exits_with_2(string content, string expected)
    {
        string path = BadInputTests.WriteCsv(content);
        bool events = content.Contains("event");
        var args = new List<string> { "data", "--interactions", path, "--split-time", "5" };
        if (events) { args.Add("--event-col"); args.Add("event"); }
        var (code, stdout, stderr) = CliRunner.Run(args.ToArray());
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("deskdrop: error:")).ToList();
        Assert.Single(lines);
        Assert.Contains(path, lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Missing_file_and_bad_options_exit_with_2()
    {
        Assert.Equal(2, CliRunner.Run("data", "--interactions", "/no/such.csv", "--split-time", "5").ExitCode);
        Assert.Equal(2, CliRunner.Run("data", "--benchmark", "nope").ExitCode);
        Assert.Equal(2, CliRunner.Run("data", "--no-such-flag").ExitCode);
        Assert.Equal(2, CliRunner.Run("data", "--data", "/no/such/folder").ExitCode);
    }
}
