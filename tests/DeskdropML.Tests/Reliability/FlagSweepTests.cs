using System.Text.Json;

namespace DeskdropML.Tests.Reliability;

/// <summary>
/// Every numeric flag at 0, -1, NaN and a huge value: the tool either runs (exit 0, valid JSON) or refuses with
/// exit 2 and one line naming the flag as typed — never an exception type, a stack trace, an option's internal name
/// or another exit code. Budget flags (epochs, iterations, max-sampled) are legal at any size and would run for
/// days at int.MaxValue, so their "huge" is a value beyond the integer range.
/// </summary>
[Collection(InProcessCliCollection.Name)]
public class FlagSweepTests
{
    private static readonly string Log = FaultData.WriteFile(FaultData.Csv(1500, users: 40, items: 60), "sweep.csv");
    private static readonly string[] Data = { "--interactions", Log, "--split-time", "1460900000" };

    private const string IntHuge = "2147483647";
    private const string BeyondInt = "99999999999";

    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        void Add(string context, string flag, params string[] values)
        {
            foreach (var v in values) cases.Add(context, flag, v);
        }
        string[] ints = { "0", "-1", "NaN", IntHuge };
        string[] budget = { "0", "-1", "NaN", BeyondInt };
        string[] reals = { "0", "-1", "NaN", "1e308" };
        foreach (var f in new[] { "--min-items", "--threads", "--seed", "--k" }) Add("popularity", f, ints);
        Add("popularity", "--split-time", "0", "-1", "NaN", "9223372036854775807");
        Add("fraction", "--test-fraction", reals);
        Add("warp", "--components", ints);
        Add("warp", "--epochs", budget);
        Add("warp", "--max-sampled", budget);
        foreach (var f in new[] { "--learning-rate", "--user-alpha", "--item-alpha", "--recency-half-life-days" }) Add("warp", f, reals);
        Add("als", "--factors", ints);
        Add("als", "--iterations", budget);
        Add("als", "--cg-steps", ints);
        foreach (var f in new[] { "--regularization", "--alpha" }) Add("als", f, reals);
        Add("ffm", "--factors", ints);
        Add("ffm", "--negatives", ints);
        Add("ffm", "--iterations", budget);
        Add("ffm", "--learning-rate", reals);
        Add("itemknn", "--neighbors", ints);
        foreach (var f in new[] { "--bm25-k1", "--bm25-b" }) Add("itemknn", f, reals);
        Add("ease", "--ease-lambda", reals);
        Add("ease", "--ease-max-items", ints);
        Add("svd", "--factors", ints);
        Add("svd", "--iterations", budget);
        Add("tune", "--trials", ints);
        Add("tune", "--validation-fraction", reals);
        Add("reproduce", "--threads", ints);
        Add("global", "--memory-limit", "0", "-1", "NaN", "1e308T");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_numeric_flag_at_an_extreme_runs_or_is_refused_by_name(string context, string flag, string value)
    {
        string[] args = context switch
        {
            "popularity" => flag == "--split-time"
                ? ["evaluate", "--interactions", Log, "--model", "popularity", flag, value, "--json"]
                : ["evaluate", .. Data, "--model", "popularity", flag, value, "--json"],
            "fraction" => ["evaluate", "--interactions", Log, "--model", "popularity", flag, value, "--json"],
            "warp" or "als" or "ffm" => ["evaluate", .. Data, "--model", context, "--epochs", "2", "--iterations", "2", flag, value, "--json"],
            "itemknn" or "ease" or "svd" => ["evaluate", .. Data, "--model", context, flag, value, "--json"],
            "tune" => ["tune", .. Data, "--model", "als", "--trials", "1", flag, value, "--json"],
            "reproduce" => ["reproduce", "--quick", "--out", TestPaths.NewTempDirectory(), flag, value],
            _ => ["evaluate", .. Data, "--model", "als", "--factors", "8", "--iterations", "1", flag, value, "--json"],
        };
        // A flag given twice (the sweep's value after the context's default) is a parse error in itself: keep one.
        args = DropEarlierDuplicate(args, flag);
        var run = InProcessCli.Run(args);
        if (run.ExitCode == 0)
        {
            using var _ = JsonDocument.Parse(run.StdOut);
            return;
        }
        string line = InProcessCli.AssertOneLineError(2, run);
        Assert.Contains(flag, line);
        foreach (var internalName in new[] { "NumberOf", "LatentDimension", "NegativesPerPositive", "MinItemsPerUser", "(Parameter", "System." })
            Assert.DoesNotContain(internalName, line);
    }

    private static string[] DropEarlierDuplicate(string[] args, string flag)
    {
        int last = Array.LastIndexOf(args, flag);
        int first = Array.IndexOf(args, flag);
        if (first == last) return args;
        return args.Where((_, i) => i != first && i != first + 1).ToArray();
    }
}
