using DeskdropML.Data;
using DeskdropML.Sparse;

namespace DeskdropML.Benchmarks;

/// <summary>
/// The synthetic log (<c>user,item,timestamp,event</c>, gzip) for the benchmarks, loaded with the library under
/// the design's rules: event strengths VIEW 1, LIKE 2, BOOKMARK 2.5, FOLLOW 3, COMMENT CREATED 4 summed
/// per (user, item) and mapped through log2(1 + x); a pair's time is its last row in file order; users with at
/// least 5 distinct items are kept; pairs dated before the split time form the training matrix.
/// </summary>
public sealed class SyntheticLog
{
    /// <summary>The split time of the synthetic benchmark.</summary>
    public const long SplitTime = 1484228800;

    public required IdMap Users { get; init; }
    public required IdMap Items { get; init; }
    public required CsrMatrix Train { get; init; }
    public required CsrMatrix Test { get; init; }

    /// <summary>The file named by the environment variable DESKDROP_SYNTHETIC (the log is not in the repository).</summary>
    public static string DefaultPath
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("DESKDROP_SYNTHETIC");
            if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
            throw new FileNotFoundException($"the synthetic-2m benchmarks need DESKDROP_SYNTHETIC set to synthetic-2m.csv.gz (currently '{env}')");
        }
    }

    /// <summary>Loads the log with the library's pipeline (the same rules as the Deskdrop benchmarks).</summary>
    public static SyntheticLog Load(string path, int minItems = 5, long splitTime = SplitTime)
    {
        var log = InteractionCsvLoader.Load(path, new InteractionCsvOptions { EventColumn = "event" });
        var ds = InteractionDataset.Build(log, new DatasetOptions { MinItemsPerUser = minItems, SplitTime = splitTime });
        return new SyntheticLog { Users = ds.Users, Items = ds.Items, Train = ds.Train, Test = ds.Test };
    }
}
