using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary>
/// <c>deskdrop compare</c>: several models on the same folds of one protocol, each metric with its 95% interval and the
/// paired difference to a reference model (bootstrap of the per-unit differences on the same units).
/// </summary>
internal static class CompareCommand
{
    private static readonly ReportedMetric[] Shown = { ReportedMetric.Precision, ReportedMetric.Recall, ReportedMetric.Ndcg, ReportedMetric.Map, ReportedMetric.HitRate };

    public static Command Create()
    {
        var common = new CommonOptions();
        var protocolOptions = new ProtocolOptions();
        var registry = ModelRegistry.CreateDefault();
        var models = new Option<string>("--models")
        {
            Description = "Comma-separated models, e.g. random,popularity,recency-6h,als,warp; an entry 'label=model --flag value ...' gives one model its own flags " +
                "(e.g. 'hybrid=warp --features clean --negative-sampling train')",
            Required = true,
        };
        var reference = new Option<string?>("--reference") { Description = "The model the paired differences are taken against (default: the first of --models)" };
        var seeds = new Option<int>("--seeds") { Description = "Runs per model with seeds --seed, --seed+1, ...: mean and SD over seeds are reported; intervals and differences come from the first seed", DefaultValueFactory = _ => 1 };
        var k = new Option<int>("--k") { Description = "Cut-off of the ranking metrics", DefaultValueFactory = _ => 10 };
        var command = new Command("compare", "Evaluate several models on the same folds and report each metric with its 95% CI and the paired difference to a reference.");
        common.AddTo(command);
        protocolOptions.AddTo(command);
        registry.AddTo(command);
        foreach (var o in new Option[] { models, reference, seeds, k }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            int cutoff = parsed.GetValue(k);
            if (cutoff < 1) throw new CliUsageException($"--k must be >= 1 (got {cutoff})");
            int runs = parsed.GetValue(seeds);
            if (runs < 1 || runs > 1000) throw new CliUsageException($"--seeds must be in [1, 1000] (got {runs})");
            var entries = parsed.GetValue(models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(e => ModelEntry.Parse(e, parsed)).ToArray();
            if (entries.Length == 0) throw new CliUsageException("--models must name at least one model");
            var names = entries.Select(e => e.Label).ToArray();
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new CliUsageException($"--models names a model twice ('{parsed.GetValue(models)}'); give repeated models a label: 'label=model --flag value'");
            var specs = entries.Select(e => registry.Get(e.Model, "--models")).ToArray();
            string referenceName = parsed.GetValue(reference) ?? names[0];
            int referenceIndex = Array.IndexOf(names, referenceName);
            if (referenceIndex < 0) throw new CliUsageException($"--reference must be one of --models ({string.Join(", ", names)}); got '{referenceName}'");
            int resamples = protocolOptions.Resamples(parsed);
            int threads = common.GetThreads(parsed);
            int seed = parsed.GetValue(common.Seed);
            var data = common.Load(parsed, output, protocolOptions.FractionIsPerUser(parsed));
            var setup = protocolOptions.Setup(parsed, data, seed, data.TestFraction, output);

            // Fold-major: every model and seed is fitted on a fold before the next fold is built, so only one fold's
            // matrices need to be in memory at a time (the backtest builds folds on demand).
            var fits = new List<FoldFit>();
            var fitSeconds = new double[specs.Length];
            var quiet = Output.Quiet();
            for (int m = 0; m < specs.Length; m++)
                for (int r = 0; r < runs; r++)
                {
                    var (spec, entry, fitSeed, model, first) = (specs[m], entries[m], seed + r, m, r == 0);
                    fits.Add(fold =>
                    {
                        var fitted = spec.Fit(new FitRequest(data with { Dataset = fold.Dataset }, entry.Parsed, setup.Folds.Count == 1 ? output : quiet, fitSeed, threads, fold));
                        if (first) fitSeconds[model] += fitted.FitSeconds;
                        return fitted.Scorer;
                    });
                }
            var options = new ProtocolEvaluationOptions { K = cutoff, BootstrapResamples = resamples, NumberOfThreads = threads };
            var all = output.Progress($"{string.Join(", ", names)}: {setup.Protocol.Name}, {setup.Folds.Count} fold(s)", setup.Folds.Count, report =>
                ProtocolEvaluator.EvaluateEach(setup.Protocol.Name, setup.Folds, fits, options, new SyncProgress<int>(f => report(f + 1, $"fold {f + 1}"))));
            var results = new ProtocolEvaluationResult[specs.Length];
            var seedMeans = new List<ProtocolEvaluationResult>[specs.Length];
            for (int m = 0; m < specs.Length; m++)
            {
                results[m] = all[m * runs];
                seedMeans[m] = all.Skip(m * runs).Take(runs).ToList();
            }

            var json = new JsonObject
            {
                ["benchmark"] = data.Name,
                ["protocol"] = setup.Protocol.Name,
                ["candidates"] = setup.Policy.ToLabel(),
                ["k"] = cutoff,
                ["units"] = results[0].Units,
                ["folds"] = setup.Folds.Count,
                ["reference"] = referenceName,
                ["seeds"] = runs,
                ["random"] = new JsonObject
                {
                    ["precision"] = results[0].Random.Precision,
                    ["recall"] = results[0].Random.Recall,
                    ["ndcg"] = results[0].Random.Ndcg,
                    ["hit_rate"] = results[0].Random.Hit,
                },
                ["bootstrap"] = new JsonObject { ["resamples"] = resamples, ["seed"] = 0, ["level"] = 0.95 },
            };
            var rows = new JsonArray();
            for (int m = 0; m < specs.Length; m++)
            {
                var r = results[m];
                var row = new JsonObject { ["model"] = names[m] };
                if (entries[m].Flags.Length > 0) row["flags"] = string.Join(' ', entries[m].Flags);
                foreach (var metric in Enum.GetValues<ReportedMetric>()) row[ProtocolOptions.MetricName(metric)] = r.Mean(metric);
                row["ci"] = ProtocolOptions.Intervals(r);
                var diff = new JsonObject();
                foreach (var (metric, (mean, lo, hi)) in r.PairedDifference(results[referenceIndex]))
                    diff[ProtocolOptions.MetricName(metric)] = new JsonArray(mean, lo, hi);
                row["diff"] = diff;
                row["cold_share"] = r.ColdShare;
                row["warm_only"] = ProtocolOptions.Means(r.WarmItemsOnly);
                row["new_only"] = ProtocolOptions.Means(r.NewItemsOnly);
                row["fit_seconds"] = Math.Round(fitSeconds[m], 3);
                if (runs > 1)
                {
                    var overSeeds = new JsonObject();
                    foreach (var metric in Enum.GetValues<ReportedMetric>())
                    {
                        var values = seedMeans[m].Select(x => x.Mean(metric)).ToArray();
                        double mean = values.Average();
                        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
                        overSeeds[ProtocolOptions.MetricName(metric)] = new JsonArray(mean, sd);
                    }
                    row["over_seeds"] = overSeeds;
                }
                rows.Add(row);
            }
            json["models"] = rows;
            output.WriteJson(json);
            WriteTable(output.Human, $"{data.Name}: {setup.Protocol.Name}, {setup.Policy.ToLabel()} candidates, {results[0].Units} units in {setup.Folds.Count} fold(s)",
                names, results, referenceIndex, cutoff);
            return 0;
        });
        return command;
    }

    private static void WriteTable(IAnsiConsole console, string title, string[] names, ProtocolEvaluationResult[] results, int reference, int k)
    {
        var t = new Table().Title(Markup.Escape(title)).AddColumn("model");
        foreach (var m in Shown) t.AddColumn(new TableColumn(Markup.Escape($"{ShortName(m)}@{k} [95% CI]")).RightAligned());
        t.AddColumn(new TableColumn(Markup.Escape($"NDCG − {names[reference]} [95% CI]")).RightAligned());
        t.AddColumn(new TableColumn("cold share").RightAligned());
        for (int j = 0; j < names.Length; j++)
        {
            var r = results[j];
            var cells = new List<string> { Markup.Escape(names[j]) };
            foreach (var m in Shown)
            {
                var (lo, hi) = r.Intervals[m];
                cells.Add(Markup.Escape($"{ProtocolOptions.F(r.Mean(m))} [{ProtocolOptions.F(lo)}, {ProtocolOptions.F(hi)}]"));
            }
            var (d, dlo, dhi) = r.PairedDifference(results[reference])[ReportedMetric.Ndcg];
            cells.Add(j == reference ? "reference" : Markup.Escape($"{Signed(d)} [{Signed(dlo)}, {Signed(dhi)}]"));
            cells.Add(ProtocolOptions.F(r.ColdShare));
            t.AddRow(cells.ToArray());
        }
        var random = results[0].Random;
        t.AddRow("random (exact)", ProtocolOptions.F(random.Precision), ProtocolOptions.F(random.Recall), ProtocolOptions.F(random.Ndcg), "", ProtocolOptions.F(random.Hit), "", "");
        console.Write(t);
    }

    private static string ShortName(ReportedMetric m) => m switch
    {
        ReportedMetric.Precision => "P",
        ReportedMetric.Recall => "R",
        ReportedMetric.Ndcg => "NDCG",
        ReportedMetric.Map => "MAP",
        _ => "hit",
    };

    private static string Signed(double v) => v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);

    /// <summary>One entry of --models: its label, the model name and the flags it adds to the command line.</summary>
    private sealed record ModelEntry(string Label, string Model, string[] Flags, ParseResult Parsed)
    {
        public static ModelEntry Parse(string entry, ParseResult parsed)
        {
            var tokens = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string head = tokens[0];
            int eq = head.IndexOf('=');
            string label = eq > 0 ? head[..eq] : head;
            string model = eq > 0 ? head[(eq + 1)..] : head;
            var flags = tokens[1..];
            if (flags.Length == 0) return new ModelEntry(label, model, flags, parsed);
            if (flags.Any(f => f is "--models" or "--protocol" or "--candidates" or "--fold-days" or "--seed" or "--k" or "--json"))
                throw new CliUsageException($"--models entry '{entry}': only model flags may be given per model (protocol, seed, k and output are shared)");
            // The entry's flags replace the same flags given to the whole command.
            var overridden = new HashSet<string>(flags.Where(f => f.StartsWith("--", StringComparison.Ordinal)), StringComparer.Ordinal);
            var args = new List<string>();
            bool skipping = false;
            foreach (var token in parsed.Tokens)
            {
                if (token.Type == TokenType.Option) skipping = overridden.Contains(token.Value);
                else if (token.Type != TokenType.Argument) skipping = false;
                if (!skipping) args.Add(token.Value);
            }
            args.AddRange(flags);
            var reparsed = parsed.RootCommandResult.Command.Parse(args);
            if (reparsed.Errors.Count > 0) throw new CliUsageException($"--models entry '{entry}': {reparsed.Errors[0].Message}");
            return new ModelEntry(label, model, flags, reparsed);
        }
    }
}
