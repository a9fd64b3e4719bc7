using System.Globalization;
using DeskdropML.Data;

namespace DeskdropML.Cli;

/// <summary>
/// Turns an empty train (or test) split into a bad-input error that says which rule removed everything, with the
/// counts at each step, instead of a trainer's "(Parameter 'interactions')" much later.
/// </summary>
internal static class SplitChecks
{
    public static void Require(LoadedData data, int minItems, long? splitTimeFlag, double? testFraction, bool fitting, bool evaluating)
    {
        var s = data.Dataset.Summary;
        var r = data.Report;
        if (fitting || evaluating)
        {
            if (s.InteractionsRaw == 0)
            {
                if (r.RowsRead == 0) throw new CliUsageException($"no training data: {r.File} has no data rows");
                string reasons = string.Join("; ", r.Rejected.Select(kv => $"{kv.Key}: {N(kv.Value)}"));
                throw new CliUsageException($"no training data: all {N(r.RowsRead)} rows of {r.File} were left out ({reasons})");
            }
            if (s.UsersKept == 0)
                throw new CliUsageException($"no training data: --min-items {minItems} removed all {N(s.UsersTotal)} users " +
                    $"({N(s.InteractionsRaw)} rows); none has {minItems} distinct items");
        }
        string split = SplitText(s.SplitTime, splitTimeFlag, testFraction);
        if (fitting && s.TrainPairs == 0)
        {
            long first = Min(data.Dataset.TestTimestamps);
            throw new CliUsageException($"no training data: all {N(s.Pairs)} (user, item) pairs of the {N(s.UsersKept)} users kept by --min-items {minItems} " +
                $"are at or after {split}; the earliest pair is at {first} ({Date(first)})");
        }
        if (evaluating && s.TestPairs == 0)
        {
            long last = Max(data.Dataset.TrainTimestamps);
            throw new CliUsageException($"no test data: all {N(s.Pairs)} (user, item) pairs of the {N(s.UsersKept)} users kept by --min-items {minItems} " +
                $"are before {split}; the latest pair is at {last} ({Date(last)})");
        }
    }

    private static string SplitText(long splitTime, long? flag, double? fraction) =>
        fraction is double f ? $"the split time {splitTime} ({Date(splitTime)}) that --test-fraction {f.ToString(CultureInfo.InvariantCulture)} gives"
        : flag is not null ? $"--split-time {splitTime} ({Date(splitTime)})"
        : $"the split time {splitTime} ({Date(splitTime)}; the default, change it with --split-time)";

    private static string Date(long unixSeconds) =>
        unixSeconds is >= -62_135_596_800 and <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "outside the years 0001-9999";

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static long Min(ReadOnlySpan<long> values)
    {
        long m = long.MaxValue;
        foreach (long v in values) m = Math.Min(m, v);
        return m;
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        long m = long.MinValue;
        foreach (long v in values) m = Math.Max(m, v);
        return m;
    }
}
