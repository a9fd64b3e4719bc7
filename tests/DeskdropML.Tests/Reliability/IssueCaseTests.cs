using System.IO.Compression;
using System.Text;
using System.Text.Json;
using DeskdropML.Persistence;

namespace DeskdropML.Tests.Reliability;

/// <summary>
/// Every reproduction of the reliability issue, run through the tool (in this process, console captured): each ends
/// with exit 0, or 2 / 1 and one clear line — no stack trace, no silent loss, no destroyed file.
/// </summary>
[Collection(InProcessCliCollection.Name)]
public class IssueCaseTests
{
    private static readonly string Folder = TestPaths.NewTempDirectory();
    private static readonly string Log = WriteText("log.csv", FaultData.Csv(3000));
    private const string Split = "1461500000";

    private static string WriteText(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Case1_a_truncated_gz_is_an_error_not_a_shorter_file()
    {
        byte[] gz = FaultData.Gzip(File.ReadAllBytes(Log));
        string cut = WriteBytes("cut.csv.gz", gz[..2500]);
        var run = InProcessCli.Run("data", "--interactions", cut, "--split-time", Split, "--json");
        string line = InProcessCli.AssertOneLineError(2, run);
        Assert.Contains(cut, line);
        Assert.Contains("truncated", line);
        Assert.Equal("", run.StdOut); // nothing half-reported
    }

    [Fact]
    public void Case2_out_equal_to_the_input_is_refused_and_the_input_kept()
    {
        string input = WriteText("same.csv", FaultData.Csv(500));
        byte[] before = File.ReadAllBytes(input);
        var run = InProcessCli.Run("train", "--interactions", input, "--split-time", Split, "--model", "als", "--out", input);
        Assert.Contains("--out", InProcessCli.AssertOneLineError(2, run));
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Case3_ordinary_faults_exit_cleanly_before_the_work()
    {
        string line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("train", "--interactions", Log, "--split-time", Split, "--model", "als", "--out", Folder));
        Assert.Contains("--out", line);
        Assert.Contains("is a folder", line);

        string readme = Path.Combine(TestPaths.RepositoryRoot, "README.md");
        byte[] readmeBefore = File.ReadAllBytes(readme);
        line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("reproduce", "--quick", "--out", "README.md"));
        Assert.Contains("--out: 'README.md' is a file", line);
        Assert.Equal(readmeBefore, File.ReadAllBytes(readme));

        // reproduce writes results.json into --out (--json only echoes it): a missing parent folder is refused before the run.
        line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("reproduce", "--quick", "--out", Path.Combine(Folder, "nodir", "out")));
        Assert.Contains("--out", line);
        Assert.Contains("does not exist", line);

        line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("tune", "--interactions", Log, "--split-time", "1", "--model", "als", "--trials", "2"));
        Assert.Contains("no training data", line);
        Assert.Contains("--split-time 1", line);
        Assert.Contains("2016-04-07", line); // the earliest pair, so the user sees why

        line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("evaluate", "--interactions", Log, "--split-time", Split,
            "--model", "als", "--solver", "cholesky", "--regularization", "0", "--feedback", "explicit", "--factors", "64"));
        Assert.Contains("--regularization", line);

        line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("evaluate", "--interactions", Log, "--split-time", Split, "--model", "warp", "--components", "1000000000"));
        Assert.Contains("--components", line);
        Assert.DoesNotContain("NumberOfComponents", line);
    }

    [Fact]
    public void Case3_a_full_device_as_output_is_refused_and_left_alone()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full")) return;
        string line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("train", "--interactions", Log, "--split-time", Split, "--model", "als", "--out", "/dev/full"));
        Assert.Contains("not a regular file", line);
        Assert.True(File.Exists("/dev/full"));
    }

    [Fact]
    public void Case3_a_read_only_output_is_an_environment_failure_before_the_work()
    {
        string path = WriteText("ro.zip", "old");
        File.SetAttributes(path, FileAttributes.ReadOnly);
        string line = InProcessCli.AssertOneLineError(1, InProcessCli.Run("train", "--interactions", Log, "--split-time", Split, "--model", "als", "--out", path));
        Assert.Contains(path, line);
        Assert.Contains("read-only", line);
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void Case4_brackets_in_file_names_and_event_types_are_printed_literally()
    {
        string name = WriteText("log[2016].csv", FaultData.Csv(600));
        var run = InProcessCli.Run("data", "--interactions", name, "--split-time", Split, "--json");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("log[2016].csv: dataset facts", run.StdErr);

        var sb = new StringBuilder("user,item,timestamp,event\n");
        for (int r = 0; r < 400; r++) sb.Append($"u{r % 20},i{r % 40},{1_460_000_000 + r * 1000},{(r % 5 == 0 ? "[bold]LIKE[/]" : "VIEW")}\n");
        string events = WriteText("events.csv", sb.ToString());
        run = InProcessCli.Run("data", "--interactions", events, "--event-col", "event", "--skip-unknown-events", "--split-time", "1460200000", "--json");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("unknown event type '[bold]LIKE[/]' (skipped)", run.StdErr);
        using var doc = JsonDocument.Parse(run.StdOut);
        Assert.Equal(80, doc.RootElement.GetProperty("rows_rejected").GetInt64());
    }

    [Theory]
    [InlineData("user,item,timestamp\nu1,i1,01-02-2016\n", ":2:7:", "'01-02-2016' is not a timestamp")]
    [InlineData("user,item,timestamp\nu1,i1,2016-01-02\nu1,i2,1-2-3\n", ":3:7:", "'1-2-3' is not a timestamp")]
    [InlineData("user,item,timestamp\nu1,i1,1460000000000\nu2,i1,1460000002\n", ":3:7:", "the column is in milliseconds")]
    [InlineData("user,item,timestamp\nu1,i1,-9000000000000000000\nu1,i2,9000000000000000000\n", ":2:7:", "outside the years 0001-9999")]
    public void Case5_values_are_not_misread(string csv, string location, string problem)
    {
        string path = WriteText($"case5-{Math.Abs(csv.GetHashCode())}.csv", csv);
        string line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("data", "--interactions", path, "--test-fraction", "0.2", "--json"));
        Assert.Contains(path + location, line);
        Assert.Contains(problem, line);
    }

    [Fact]
    public void Case5_invalid_utf8_ids_do_not_merge_users()
    {
        byte[] bytes = [.. "user,item,timestamp\nu"u8.ToArray(), 0xE9, .. ",i1,1460000000\nu"u8.ToArray(), 0xE8, .. ",i2,1460000001\n"u8.ToArray()];
        string path = WriteBytes("utf8.csv", bytes);
        string line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("data", "--interactions", path, "--split-time", Split, "--json"));
        Assert.Contains(path + ":2:2:", line);
        Assert.Contains("invalid UTF-8", line);
    }

    [Fact]
    public void Case5_an_empty_training_set_names_the_filter_and_the_counts()
    {
        string line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("evaluate", "--interactions", Log, "--split-time", Split, "--min-items", "1000"));
        Assert.Contains("--min-items 1000 removed all 60 users (3,000 rows)", line);
        line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("evaluate", "--interactions", WriteText("header-only.csv", "user,item,timestamp\n"), "--split-time", Split));
        Assert.Contains("has no data rows", line);
        line = InProcessCli.AssertOneLineError(2, InProcessCli.Run("evaluate", "--interactions", Log, "--split-time", "9000000000"));
        Assert.Contains("no test data", line);
    }

    [Fact]
    public void A_saved_model_survives_a_failed_second_save_attempt()
    {
        string zip = Path.Combine(Folder, "keep.zip");
        var first = InProcessCli.Run("train", "--interactions", Log, "--split-time", Split, "--model", "als", "--factors", "4", "--iterations", "1", "--out", zip);
        Assert.True(first.ExitCode == 0, first.StdErr);
        byte[] before = File.ReadAllBytes(zip);
        InProcessCli.AssertOneLineError(2, InProcessCli.Run("train", "--interactions", Log, "--split-time", Split, "--model", "als", "--factors", "0", "--out", zip));
        Assert.Equal(before, File.ReadAllBytes(zip));
        Assert.Equal(60, FactorizationModelZip.Load(zip).Users.Count);
    }
}
