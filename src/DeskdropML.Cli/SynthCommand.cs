using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Data.Synthetic;
using DeskdropML.Memory;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary>
/// <c>deskdrop synth</c>: writes a seeded synthetic interaction log (planted topics, Zipf popularity, Deskdrop's event
/// mix, news-feed recency) as gzip CSV and/or Parquet, readable with <c>--interactions FILE --event-col event</c>.
/// </summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new SyntheticLogOptions();
        var rows = new Option<long>("--rows") { Description = "Interaction rows to write", DefaultValueFactory = _ => defaults.Rows };
        var users = new Option<int>("--users") { Description = "Users (u0 ...)", DefaultValueFactory = _ => defaults.Users };
        var items = new Option<int>("--items") { Description = "Items (i0 ...)", DefaultValueFactory = _ => defaults.Items };
        var seed = new Option<long>("--seed") { Description = "Random seed (same seed and flags = same bytes)", DefaultValueFactory = _ => CommonOptions.DefaultSeed };
        var topics = new Option<int>("--topics") { Description = "Planted topics", DefaultValueFactory = _ => defaults.Topics };
        var zipf = new Option<double>("--zipf") { Description = "Zipf exponent of item popularity", DefaultValueFactory = _ => defaults.ZipfExponent };
        var halfLife = new Option<double>("--half-life-hours") { Description = "Half-life of an item's attention after its publish time", DefaultValueFactory = _ => defaults.HalfLifeHours };
        var days = new Option<int>("--days") { Description = "Length of the log in days (from 2016-01-01 UTC)", DefaultValueFactory = _ => defaults.Days };
        var outPath = new Option<string>("--out") { Description = "The file to write (with --format both: BASE, writing BASE.csv.gz and BASE.parquet)", Required = true };
        var format = new Option<string?>("--format") { Description = "csv.gz | parquet | both (default: from the --out extension, else csv.gz)" };
        var json = new Option<bool>("--json") { Description = "Print what was written as JSON on stdout" };
        var command = new Command("synth", "Write a seeded synthetic interaction log (planted topics, Zipf popularity, Deskdrop's event mix, news-feed recency) as gzip CSV and/or Parquet.");
        foreach (var option in new Option[] { rows, users, items, seed, topics, zipf, halfLife, days, outPath, format, json })
            command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(json));
            var options = new SyntheticLogOptions
            {
                Rows = Positive(parsed.GetValue(rows), "--rows"),
                Users = (int)Positive(parsed.GetValue(users), "--users"),
                Items = (int)Positive(parsed.GetValue(items), "--items"),
                Seed = parsed.GetValue(seed),
                Topics = (int)Positive(parsed.GetValue(topics), "--topics"),
                ZipfExponent = parsed.GetValue(zipf),
                HalfLifeHours = parsed.GetValue(halfLife),
                Days = (int)Positive(parsed.GetValue(days), "--days"),
            };
            if (options.Topics > options.Items)
                throw new CliUsageException($"--topics must be at most --items ({options.Items}) (got {options.Topics})");
            if (!(options.ZipfExponent is >= 0 and <= 10))
                throw new CliUsageException($"--zipf must be in [0, 10] (got {Show(options.ZipfExponent)})");
            if (!(options.HalfLifeHours > 0 && double.IsFinite(options.HalfLifeHours)))
                throw new CliUsageException($"--half-life-hours must be a finite number > 0 (got {Show(options.HalfLifeHours)})");
            if (options.Days > 36_500) throw new CliUsageException($"--days must be at most 36500 (got {options.Days})");
            var (csvPath, parquetPath) = Targets(parsed.GetValue(outPath)!, parsed.GetValue(format));
            foreach (var path in new[] { csvPath, parquetPath })
                if (path is not null) OutputPaths.CheckFile("--out", path, Array.Empty<string>());

            MemoryBudget.Require($"a synthetic log of {options.Users:N0} users and {options.Items:N0} items", "--users/--items",
                $"{options.Users}/{options.Items}", SyntheticLogGenerator.EstimatedBytes(options, parquetPath is not null), Math.Max(options.Users, options.Items));
            var generator = new SyntheticLogGenerator(options);
            var clock = Stopwatch.StartNew();
            output.Human.MarkupLine($"[grey]Writing {Markup.Escape(string.Join(" and ", new[] { csvPath, parquetPath }.OfType<string>()))}...[/]");
            generator.WriteFiles(csvPath, parquetPath, written =>
            {
                double rate = written / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
                output.Human.MarkupLine($"[grey]  {written.ToString("N0", CultureInfo.InvariantCulture)} rows written ({rate.ToString("N0", CultureInfo.InvariantCulture)} rows/s)[/]");
            });
            double seconds = clock.Elapsed.TotalSeconds;
            var files = new JsonArray();
            foreach (var path in new[] { csvPath, parquetPath })
                if (path is not null) files.Add(new JsonObject { ["path"] = path, ["bytes"] = new FileInfo(path).Length });
            output.WriteJson(new JsonObject
            {
                ["rows"] = options.Rows,
                ["users"] = options.Users,
                ["items"] = options.Items,
                ["seed"] = options.Seed,
                ["topics"] = options.Topics,
                ["zipf"] = options.ZipfExponent,
                ["half_life_hours"] = options.HalfLifeHours,
                ["start_time"] = options.StartTime,
                ["end_time"] = options.StartTime + 86_400L * options.Days,
                ["files"] = files,
                ["seconds"] = seconds,
                ["rows_per_second"] = (long)Math.Round(options.Rows / Math.Max(1e-9, seconds)),
            });
            output.Human.MarkupLine($"[grey]{options.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows in {seconds.ToString("F1", CultureInfo.InvariantCulture)} s[/]");
            return 0;
        });
        return command;
    }

    /// <summary>The CSV and Parquet paths for <paramref name="path"/> and <paramref name="format"/>.</summary>
    internal static (string? Csv, string? Parquet) Targets(string path, string? format)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliUsageException("--out must name a file");
        format ??= path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet" : "csv.gz";
        switch (format)
        {
            case "csv.gz": return (path, null);
            case "parquet": return (null, path);
            case "both":
                string stem = path;
                foreach (var ext in new[] { ".csv.gz", ".parquet", ".csv" })
                    if (stem.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) { stem = stem[..^ext.Length]; break; }
                return (stem + ".csv.gz", stem + ".parquet");
            default:
                throw new CliUsageException($"--format must be csv.gz, parquet or both (got '{format}')");
        }
    }

    private static long Positive(long value, string flag) =>
        value > 0 ? value : throw new CliUsageException($"{flag} must be > 0 (got {value})");

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
