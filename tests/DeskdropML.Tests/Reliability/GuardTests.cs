using System.Text;
using DeskdropML.Cli;
using DeskdropML.Cli.Reporting;
using DeskdropML.Data;
using DeskdropML.Memory;
using DeskdropML.Persistence;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Tests.Reliability;

/// <summary>Memory guards, the exit-code classification, model-zip damage and the HTML report's encoding.</summary>
public class GuardTests
{
    private static readonly InteractionDataset Small = InteractionDataset.Build(
        InteractionCsvLoader.Load(FaultData.WriteFile(FaultData.Csv(800, users: 30, items: 40), "small.csv")),
        new DatasetOptions { SplitTime = 1_460_600_000 });

    [Fact]
    public void Oversized_models_are_refused_before_allocating_naming_the_option()
    {
        var warp = new WarpTrainer(new WarpTrainer.Options { NumberOfComponents = 1_000_000_000, NumberOfEpochs = 1 });
        var e = Assert.Throws<MemoryBudgetException>(() => warp.Fit(Small.Train, Small.Users, Small.Items));
        Assert.Equal(nameof(WarpTrainer.Options.NumberOfComponents), e.ParamName);
        Assert.Contains(".NET arrays hold at most", e.Problem);

        var als = new AlsTrainer(new AlsTrainer.Options { NumberOfFactors = 4096, NumberOfIterations = 1, NumberOfThreads = 1 });
        Assert.Throws<MemoryBudgetException>(() => MemoryBudget.Require("test", "X", 1, double.MaxValue, 1));
        Assert.NotNull(als.Fit(Small.Train, Small.Users, Small.Items)); // 4096 factors on 30 x 40 fits easily
    }

    [Fact]
    public void Memory_sizes_parse_and_print()
    {
        Assert.True(MemoryBudget.TryParseSize("512M", out long m) && m == 512L << 20);
        Assert.True(MemoryBudget.TryParseSize("1.5GiB", out long g) && g == 3L << 29);
        Assert.True(MemoryBudget.TryParseSize("4096", out long b) && b == 4096);
        foreach (var bad in new[] { "", "0", "-1", "NaN", "1e3", "5X", "99999999999T" }) Assert.False(MemoryBudget.TryParseSize(bad, out _), bad);
        Assert.Equal("1.5 GiB", MemoryBudget.Size(1.5 * (1L << 30)));
        Assert.True(MemoryBudget.AvailableBytes() > 0);
    }

    [Fact]
    public void Exceptions_map_to_the_exit_code_contract()
    {
        Assert.Equal(2, ExitCodes.Classify(new CliUsageException("x")).Code);
        Assert.Equal(2, ExitCodes.Classify(new DataFormatException("f", 3, "c", "bad", 4)).Code);
        Assert.Equal("f:3:4: column 'c': bad", ExitCodes.Classify(new DataFormatException("f", 3, "c", "bad", 4)).Message);
        var range = ExitCodes.Classify(new ArgumentOutOfRangeException("NumberOfComponents", 0, "NumberOfComponents must be > 0; got 0."));
        Assert.Equal((2, "--components must be > 0; got 0."), range);
        Assert.Equal((2, "--alpha must be > 0"), ExitCodes.Classify(new ArgumentOutOfRangeException("Alpha", "Alpha must be > 0")));
        Assert.Equal("--user-alpha is bad", ExitCodes.Classify(new ArgumentOutOfRangeException("UserAlpha", "UserAlpha is bad")).Message);
        Assert.Equal(2, ExitCodes.Classify(new InvalidOperationException("increase Regularization")).Code);
        Assert.Equal(1, ExitCodes.Classify(new InvalidOperationException("some internal state")).Code);
        Assert.Equal(1, ExitCodes.Classify(new IOException("No space left on device : '/x'")).Code);
        Assert.Equal(1, ExitCodes.Classify(new UnauthorizedAccessException("Access to the path '/x' is denied.")).Code);
        var bug = ExitCodes.Classify(new NullReferenceException("Object reference not set"));
        Assert.Equal(1, bug.Code);
        Assert.Contains("--verbose", bug.Message);
        Assert.Equal("--k: 'NaN' is not a whole number in [-2147483648, 2147483647]",
            ExitCodes.ParseError("Cannot parse argument 'NaN' for option '--k' as expected type 'System.Int32'."));
    }

    /// <summary>Random byte flips in a saved model zip: loading either fails with the file named, or gives a model
    /// that scores exactly like the original (the flip hit bytes the model does not depend on).</summary>
    [Fact]
    public void Random_byte_flips_in_a_model_zip_are_detected_or_harmless()
    {
        var model = new AlsTrainer(new AlsTrainer.Options { NumberOfFactors = 4, NumberOfIterations = 2 }).Fit(Small.Train, Small.Users, Small.Items);
        string zip = Path.Combine(TestPaths.NewTempDirectory(), "m.zip");
        TrainCommand.Save(model, Small.Train, "als", zip);
        byte[] original = File.ReadAllBytes(zip);
        var reference = FactorizationModelZip.Load(zip).CreateRecommender();
        string user = Small.Users[0];
        var expected = reference.Recommend(user, 10).Items.Select(i => (i.ItemId, i.Score)).ToArray();
        var random = new Random(17);
        for (int trial = 0; trial < 150; trial++)
        {
            var damaged = (byte[])original.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            string path = Path.Combine(TestPaths.NewTempDirectory(), "flip.zip");
            File.WriteAllBytes(path, damaged);
            try
            {
                var loaded = FactorizationModelZip.Load(path).CreateRecommender();
                Assert.Equal(expected, loaded.Recommend(user, 10).Items.Select(i => (i.ItemId, i.Score)).ToArray());
            }
            catch (InvalidDataException e)
            {
                Assert.Contains(path, e.Message);
            }
        }
    }

    [Fact]
    public void The_html_report_encodes_every_user_provided_text()
    {
        var data = new ReportData { Title = "<script>alert(1)</script>" };
        data.Notes.Add("a & b < c");
        data.Rows.Add(new ResultRow("task<1>", "model \"x\" & <y>", "bench<z>", 0.1, 0.2, 0.3, 0.4, 1, 10));
        data.LearningCurves.Add(new Series("curve <&>", new double[] { 1, 2 }, new double[] { 0.1, 0.2 }));
        string folder = TestPaths.NewTempDirectory();
        string path = Path.Combine(folder, "report.html");
        HtmlReport.Write(path, data);
        string html = File.ReadAllText(path, Encoding.UTF8);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("a &amp; b &lt; c", html);
        Assert.Contains("model &quot;x&quot; &amp; &lt;y&gt;", html);
        Assert.DoesNotContain("<y>", html);
        Assert.DoesNotContain("<&>", html);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }
}
