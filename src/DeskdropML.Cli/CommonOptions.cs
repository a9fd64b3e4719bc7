using System.CommandLine;
using System.Globalization;
using DeskdropML.Data;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary>The options every command shares (DESIGN section 8) and how they become a dataset.</summary>
internal sealed class CommonOptions
{
    public readonly Option<string> Data = new("--data") { Description = "Folder holding the Deskdrop files", DefaultValueFactory = _ => "notebooks-data" };
    public readonly Option<string> Benchmark = new("--benchmark") { Description = "deskdrop | deskdrop-text", DefaultValueFactory = _ => "deskdrop" };
    public readonly Option<string?> Interactions = new("--interactions") { Description = "A generic interactions file instead of the Deskdrop files: CSV (plain or .gz) or Parquet (.parquet)" };
    public readonly Option<string> UserCol = new("--user-col") { Description = "User id column of --interactions", DefaultValueFactory = _ => "user" };
    public readonly Option<string> ItemCol = new("--item-col") { Description = "Item id column of --interactions", DefaultValueFactory = _ => "item" };
    public readonly Option<string> TimeCol = new("--time-col") { Description = "Timestamp column of --interactions (Unix seconds or ISO 8601)", DefaultValueFactory = _ => "timestamp" };
    public readonly Option<string?> TimeUnit = new("--time-unit") { Description = "Unit of integer timestamps of --interactions: s | ms (default: detected per file; a mixture is an error)" };
    public readonly Option<string?> WeightCol = new("--weight-col") { Description = "Numeric weight column of --interactions" };
    public readonly Option<string?> EventCol = new("--event-col") { Description = "Event-type column of --interactions (Deskdrop strengths)" };
    public readonly Option<bool> SkipUnknownEvents = new("--skip-unknown-events") { Description = "Skip (and count) rows whose event type has no strength instead of failing" };
    public readonly Option<int> MinItems = new("--min-items") { Description = "Keep users with at least this many distinct items", DefaultValueFactory = _ => 5 };
    public readonly Option<long?> SplitTime = new("--split-time") { Description = "Train = pairs before this Unix time (default for Deskdrop: 1475519530)" };
    public readonly Option<double?> TestFraction = new("--test-fraction") { Description = "Split at this fraction of the time span instead of --split-time" };
    /// <summary>The default seed of every command, reproduce's included, so a command from the README reproduces reproduce's numbers.</summary>
    public const int DefaultSeed = 1;

    public readonly Option<int> Seed = new("--seed") { Description = "Random seed", DefaultValueFactory = _ => DefaultSeed };
    public readonly Option<int> Threads = new("--threads") { Description = "Worker threads (1 = deterministic)", DefaultValueFactory = _ => 1 };
    public readonly Option<bool> Json = new("--json") { Description = "Print the result as JSON on stdout (human output and progress go to stderr)" };

    /// <summary>The largest --threads accepted (per-thread buffers make absurd counts a memory problem, not a speed-up).</summary>
    public const int MaxThreads = 1024;

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Benchmark, Interactions, UserCol, ItemCol, TimeCol, TimeUnit, WeightCol, EventCol, SkipUnknownEvents, MinItems, SplitTime, TestFraction, Seed, Threads, Json })
            command.Options.Add(option);
    }

    public int GetThreads(ParseResult parsed)
    {
        int threads = parsed.GetValue(Threads);
        if (threads is < 1 or > MaxThreads) throw new CliUsageException($"--threads must be in [1, {MaxThreads}] (got {threads})");
        return threads;
    }

    /// <summary>The files the options name as input (a command must not write over them).</summary>
    public IReadOnlyList<string> InputFiles(ParseResult parsed)
    {
        if (parsed.GetValue(Interactions) is string file) return new[] { file };
        string folder = parsed.GetValue(Data)!;
        return DeskdropBenchmark.InteractionFileNames.Concat(DeskdropBenchmark.ArticleFileNames)
            .Select(name => Path.Combine(folder, name)).Where(File.Exists).ToArray();
    }

    /// <summary>
    /// Loads the data source the options name. With <paramref name="fitting"/> an empty train split is an error
    /// naming the filter that emptied it; with <paramref name="evaluating"/> an empty test split is one too.
    /// </summary>
    /// <param name="fractionIsPerUser">True when <c>--test-fraction</c> is a per-user holdout fraction (then the dataset keeps the default split).</param>
    public LoadedData Load(ParseResult parsed, Output output, bool fitting = true, bool evaluating = false, bool fractionIsPerUser = false)
    {
        var data = LoadData(parsed, output, fractionIsPerUser);
        SplitChecks.Require(data, parsed.GetValue(MinItems), parsed.GetValue(SplitTime), fractionIsPerUser ? null : parsed.GetValue(TestFraction), fitting, evaluating);
        return data;
    }

    private LoadedData LoadData(ParseResult parsed, Output output, bool fractionIsPerUser)
    {
        int minItems = parsed.GetValue(MinItems);
        if (minItems < 1) throw new CliUsageException($"--min-items must be >= 1 (got {minItems})");
        long? split = parsed.GetValue(SplitTime);
        double? fraction = parsed.GetValue(TestFraction);
        double? perUserFraction = null;
        if (fractionIsPerUser) { perUserFraction = fraction; fraction = null; }
        if (perUserFraction is double pf && !(pf > 0 && pf < 1)) throw new CliUsageException($"--test-fraction must be in (0, 1) (got {pf.ToString(CultureInfo.InvariantCulture)})");
        if (split is not null && fraction is not null) throw new CliUsageException("give either --split-time or --test-fraction, not both");
        if (fraction is double f && !(f > 0 && f < 1)) throw new CliUsageException($"--test-fraction must be in (0, 1) (got {f.ToString(CultureInfo.InvariantCulture)})");

        string? file = parsed.GetValue(Interactions);
        if (file is null)
        {
            var kind = ParseBenchmark(parsed.GetValue(Benchmark)!);
            var options = new DatasetOptions { MinItemsPerUser = minItems };
            if (fraction is not null) options.TestFraction = fraction; else options.SplitTime = split ?? DatasetOptions.DeskdropSplitTime;
            var benchmark = output.Status($"Loading {DeskdropBenchmark.NameOf(kind)} from {parsed.GetValue(Data)}",
                () => DeskdropBenchmark.Load(parsed.GetValue(Data)!, kind, options));
            return new LoadedData(benchmark.Name, benchmark.Dataset, benchmark.Log.Report, benchmark.Articles)
                { Log = benchmark.Log, MinItems = minItems, ArticleFile = benchmark.ArticleFile, TestFraction = perUserFraction };
        }

        if (split is null && fraction is null && fractionIsPerUser && perUserFraction is not null)
            throw new CliUsageException("--interactions with --protocol user-holdout needs --split-time T (it is the end of the validation period only)");
        if (split is null && fraction is null)
            throw new CliUsageException("--interactions needs --split-time T or --test-fraction F");
        var csv = new InteractionCsvOptions
        {
            UserColumn = parsed.GetValue(UserCol)!,
            ItemColumn = parsed.GetValue(ItemCol)!,
            TimeColumn = parsed.GetValue(TimeCol)!,
            WeightColumn = parsed.GetValue(WeightCol),
            EventColumn = parsed.GetValue(EventCol),
            UnknownEvents = parsed.GetValue(SkipUnknownEvents) ? UnknownEventPolicy.Skip : UnknownEventPolicy.Error,
            TimeUnit = parsed.GetValue(TimeUnit) switch
            {
                null => TimestampUnit.Auto,
                "s" => TimestampUnit.Seconds,
                "ms" => TimestampUnit.Milliseconds,
                var other => throw new CliUsageException($"--time-unit must be s or ms (got '{other}')"),
            },
        };
        if (csv.WeightColumn is not null && csv.EventColumn is not null)
            throw new CliUsageException("give either --weight-col or --event-col, not both");
        var statistics = new LoadStatistics();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Progress(long rows)
        {
            statistics.Sample();
            double rate = rows / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            output.Human.MarkupLine($"[grey]  {rows.ToString("N0", CultureInfo.InvariantCulture)} rows read ({rate.ToString("N0", CultureInfo.InvariantCulture)} rows/s)[/]");
        }
        var log = output.Status($"Loading {file}", () => InteractionLogLoader.Load(file, csv, Progress));
        statistics.LoadSeconds = clock.Elapsed.TotalSeconds;
        statistics.Sample();
        clock.Restart();
        var dataset = output.Status("Building train/test matrices", () => InteractionDataset.Build(log, new DatasetOptions
        {
            MinItemsPerUser = minItems,
            SplitTime = split,
            TestFraction = fraction,
        }));
        statistics.BuildSeconds = clock.Elapsed.TotalSeconds;
        statistics.Sample();
        return new LoadedData(Path.GetFileName(file), dataset, log.Report, Array.Empty<Article>())
            { Log = log, MinItems = minItems, TestFraction = perUserFraction, Statistics = statistics };
    }

    private static DeskdropBenchmarkKind ParseBenchmark(string name)
    {
        try { return DeskdropBenchmark.ParseKind(name); }
        catch (ArgumentException) { throw new CliUsageException($"--benchmark must be deskdrop or deskdrop-text (got '{name}')"); }
    }
}

/// <summary>A loaded data source.</summary>
internal sealed record LoadedData(string Name, InteractionDataset Dataset, LoadReport Report, IReadOnlyList<Article> Articles)
{
    /// <summary>The interaction rows (for the evaluation protocols).</summary>
    public InteractionLog Log { get; init; } = null!;

    /// <summary>The --min-items filter.</summary>
    public int MinItems { get; init; } = 5;

    /// <summary>The article file found, or null.</summary>
    public string? ArticleFile { get; init; }

    /// <summary>--test-fraction when it is a per-user holdout fraction.</summary>
    public double? TestFraction { get; init; }

    /// <summary>Load times and memory peaks (--interactions only).</summary>
    public LoadStatistics? Statistics { get; init; }
}
