using System.Text.Json.Nodes;
using DeskdropML.Tests.Reliability;

namespace DeskdropML.Tests.Synthetic;

/// <summary><c>deskdrop synth</c> and the loading figures of <c>deskdrop data --json</c>, run in process.</summary>
[Collection(InProcessCliCollection.Name)]
public class SynthCommandTests
{
    [Theory]
    [InlineData("--rows", "0", "--rows must be > 0 (got 0)")]
    [InlineData("--users", "-3", "--users must be > 0 (got -3)")]
    [InlineData("--items", "0", "--items must be > 0 (got 0)")]
    [InlineData("--topics", "0", "--topics must be > 0 (got 0)")]
    [InlineData("--topics", "200", "--topics must be at most --items (100) (got 200)")]
    [InlineData("--zipf", "-1", "--zipf must be in [0, 10] (got -1)")]
    [InlineData("--half-life-hours", "0", "--half-life-hours must be a finite number > 0 (got 0)")]
    [InlineData("--format", "xml", "--format must be csv.gz, parquet or both (got 'xml')")]
    public void A_bad_flag_is_one_line_naming_it_with_exit_2(string flag, string value, string message)
    {
        string target = Path.Combine(TestPaths.NewTempDirectory(), "log.csv.gz");
        var args = new Dictionary<string, string> { ["--rows"] = "100", ["--users"] = "10", ["--items"] = "100", ["--out"] = target };
        args[flag] = value;
        var run = InProcessCli.Run(args.SelectMany(a => new[] { a.Key, a.Value }).Prepend("synth").ToArray());
        Assert.Equal($"deskdrop: error: {message}", InProcessCli.AssertOneLineError(2, run));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void A_log_too_large_for_the_memory_limit_is_refused_before_writing()
    {
        string target = Path.Combine(TestPaths.NewTempDirectory(), "log.csv.gz");
        var run = InProcessCli.Run("synth", "--rows", "100", "--users", "2000000000", "--items", "100", "--out", target, "--memory-limit", "1G");
        string line = InProcessCli.AssertOneLineError(2, run);
        Assert.Contains("a synthetic log of 2,000,000,000 users and 100 items needs about 14.9 GiB of memory but the limit is 1.0 GiB", line);
        Assert.Contains("--users/--items = 2000000000/100", line);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Synth_both_then_data_on_each_file_gives_the_same_facts_and_the_loading_figures()
    {
        string dir = TestPaths.NewTempDirectory();
        var synth = InProcessCli.Run("synth", "--rows", "3000", "--users", "200", "--items", "100", "--seed", "7", "--out", Path.Combine(dir, "log"), "--format", "both", "--json");
        Assert.True(synth.ExitCode == 0, synth.StdErr);
        Assert.Equal(3000, JsonNode.Parse(synth.StdOut)!["rows"]!.GetValue<long>());
        JsonObject Data(string file)
        {
            var run = InProcessCli.Run("data", "--interactions", Path.Combine(dir, file), "--event-col", "event", "--test-fraction", "0.2", "--json");
            Assert.True(run.ExitCode == 0, run.StdErr);
            return JsonNode.Parse(run.StdOut)!.AsObject();
        }
        var csv = Data("log.csv.gz");
        var parquet = Data("log.parquet");
        foreach (var key in new[] { "interactions_raw", "users_total", "users_kept", "pairs", "items", "train_pairs", "test_pairs", "split_time" })
            Assert.Equal(csv[key]!.GetValue<long>(), parquet[key]!.GetValue<long>());
        Assert.Equal(3000, csv["rows_read"]!.GetValue<long>());
        foreach (var figures in new[] { csv, parquet })
        {
            Assert.True(figures["rows_per_second"]!.GetValue<long>() > 0, figures.ToJsonString());
            Assert.True(figures["peak_managed_bytes"]!.GetValue<long>() > 0, figures.ToJsonString());
            Assert.True(figures["peak_working_set_bytes"]!.GetValue<long>() > 0, figures.ToJsonString());
        }
    }

    [Fact]
    public void Data_on_a_damaged_parquet_file_is_one_line_naming_the_file_with_exit_2()
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), "bad.parquet");
        File.WriteAllBytes(path, [(byte)'P', (byte)'A', (byte)'R', (byte)'1', 1, 2, 3, 4, 5, 6, 7, 8]);
        var run = InProcessCli.Run("data", "--interactions", path, "--event-col", "event", "--test-fraction", "0.2");
        string line = InProcessCli.AssertOneLineError(2, run);
        Assert.StartsWith($"deskdrop: error: {path}: not a readable Parquet file", line);
    }
}
