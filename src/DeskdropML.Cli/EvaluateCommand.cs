using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary><c>deskdrop evaluate</c>: train on train, evaluate on test.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var protocolOptions = new ProtocolOptions();
        var models = ModelRegistry.CreateDefault();
        var k = new Option<int>("--k") { Description = "Cut-off of the ranking metrics", DefaultValueFactory = _ => 10 };
        var keepTrain = new Option<bool>("--keep-train-items") { Description = "time protocol only: rank the user's train items too (lightfm.evaluation without train_interactions)" };
        var command = new Command("evaluate", "Fit a model on each fold of a protocol (default: the notebook's time split) and report ranking metrics with 95% intervals, the random expectation and diagnostics.");
        common.AddTo(command);
        protocolOptions.AddTo(command);
        models.AddTo(command);
        command.Options.Add(k);
        command.Options.Add(keepTrain);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            int cutoff = parsed.GetValue(k);
            if (cutoff < 1) throw new CliUsageException($"--k must be >= 1 (got {cutoff})");
            int? sampled = parsed.GetValue(protocolOptions.SampledNegatives);
            if (sampled is int n && (n < 1 || n > 1_000_000)) throw new CliUsageException($"--sampled-negatives must be in [1, 1000000] (got {n})");
            int resamples = protocolOptions.Resamples(parsed);
            var spec = models.Get(parsed);
            int threads = common.GetThreads(parsed);
            int seed = parsed.GetValue(common.Seed);
            var data = common.Load(parsed, output, evaluating: parsed.GetValue(protocolOptions.Protocol) == "time", fractionIsPerUser: protocolOptions.FractionIsPerUser(parsed));
            var setup = protocolOptions.Setup(parsed, data, seed, data.TestFraction, output);
            bool keep = parsed.GetValue(keepTrain);
            if (keep && setup.Protocol.Name != "time") throw new CliUsageException("--keep-train-items applies to --protocol time only");

            var fitSeconds = new List<double>();
            FittedModel? last = null;
            var options = new ProtocolEvaluationOptions { K = cutoff, BootstrapResamples = resamples, NumberOfThreads = threads };
            var quiet = Output.Quiet();
            var folds = setup.Folds;
            var sampledResults = new List<SampledNegativesResult>();
            var result = output.Progress($"{spec.Name}: {setup.Protocol.Name}, {folds.Count} fold(s)", folds.Count, report =>
                ProtocolEvaluator.Evaluate(setup.Protocol.Name, folds, fold =>
                {
                    var fitted = spec.Fit(new FitRequest(data with { Dataset = fold.Dataset }, parsed, folds.Count == 1 ? output : quiet, seed, threads, fold));
                    fitSeconds.Add(fitted.FitSeconds);
                    last = fitted;
                    if (sampled is int negatives)
                        sampledResults.Add(SampledNegativesEvaluator.Evaluate(fold, fitted.Scorer, negatives, seed));
                    return fitted.Scorer;
                }, options, new SyncProgress<int>(f => report(f + 1, $"fold {f + 1}"))));
            if (keep)
            {
                // The lightfm.evaluation variant: the whole catalogue ranked, train items included (time protocol, one fold).
                var fold = folds[0];
                var r = RankingEvaluator.Evaluate(fold.Dataset.Train, fold.Dataset.Test, last!.Scorer,
                    new RankingEvaluationOptions { K = cutoff, ExcludeTrainItems = false, NumberOfThreads = threads, Candidates = fold.Candidates.ToArray() });
                result = ProtocolEvaluationResult.FromFolds(setup.Protocol.Name, setup.Policy, cutoff, new[] { r }, resamples, 0);
            }
            var json = MetricsJson.Result(spec.Name, data.Name, result, fitSeconds.Sum(), last!.Parameters, !keep);
            if (sampledResults.Count > 0) SampledNegativesJson.Add(json, SampledNegativesResult.Pool(sampledResults), resamples);
            output.WriteJson(json);
            MetricsJson.WriteTable(output.Human, $"{spec.Name} on {data.Name} ({setup.Protocol.Name}, {setup.Policy.ToLabel()} candidates)", result, fitSeconds.Sum());
            return 0;
        });
        return command;
    }
}

/// <summary>The JSON and table shapes of evaluation results (DESIGN section 8).</summary>
internal static class MetricsJson
{
    public static JsonObject Result(string model, string benchmark, ProtocolEvaluationResult r, double fitSeconds, JsonObject parameters, bool excludeTrainItems)
    {
        var json = new JsonObject
        {
            ["model"] = model,
            ["benchmark"] = benchmark,
            ["k"] = r.K,
            ["users_evaluated"] = r.Units,
            ["precision"] = r.Means.Precision,
            ["recall"] = r.Means.Recall,
            ["ndcg"] = r.Means.Ndcg,
            ["map"] = r.Means.Map,
            ["mrr"] = r.Means.Mrr,
            ["hit_rate"] = r.Means.HitRate,
            ["catalog_coverage"] = r.Folds.Count == 1 ? r.Folds[0].CatalogCoverage : r.CandidateCoverage,
            ["fit_seconds"] = Math.Round(fitSeconds, 3),
            ["exclude_train_items"] = excludeTrainItems,
            ["standard_error"] = StandardErrors(r),
            ["warm"] = Means(Pool(r, warmUsers: true)),
            ["cold"] = Means(Pool(r, warmUsers: false)),
            ["parameters"] = parameters,
        };
        ProtocolOptions.AddJson(json, r);
        return json;
    }

    /// <summary>Standard error of each mean over the evaluation units: sample standard deviation / sqrt(units).</summary>
    public static JsonObject StandardErrors(ProtocolEvaluationResult r)
    {
        double Se(ReportedMetric metric)
        {
            var v = r.UnitValues(metric);
            int n = v.Length;
            if (n < 2) return 0;
            double mean = v.Average(), squares = 0;
            foreach (double x in v) squares += (x - mean) * (x - mean);
            return Math.Sqrt(squares / (n - 1) / n);
        }
        return new JsonObject
        {
            ["precision"] = Se(ReportedMetric.Precision),
            ["recall"] = Se(ReportedMetric.Recall),
            ["ndcg"] = Se(ReportedMetric.Ndcg),
            ["map"] = Se(ReportedMetric.Map),
        };
    }

    /// <summary>The protocol fields of a tuned model's test evaluation: <c>test</c> gains intervals and the random expectation.</summary>
    public static void AddProtocol(JsonObject json, ProtocolEvaluationResult test)
    {
        var t = new JsonObject
        {
            ["precision"] = test.Means.Precision,
            ["recall"] = test.Means.Recall,
            ["ndcg"] = test.Means.Ndcg,
            ["map"] = test.Means.Map,
            ["users"] = test.Units,
        };
        ProtocolOptions.AddJson(t, test);
        json["test"] = t;
        json["protocol"] = test.Protocol;
        json["candidates"] = test.Policy.ToLabel();
    }

    /// <summary>Means over the units of warm (≥ 1 train item) or cold users, pooled over folds.</summary>
    public static RankingMetricMeans Pool(ProtocolEvaluationResult r, bool warmUsers)
    {
        int n = 0;
        double p = 0, rc = 0, nd = 0, ap = 0, rr = 0, h = 0;
        foreach (var fold in r.Folds)
            foreach (var u in fold.PerUser)
            {
                if (u.IsWarm != warmUsers) continue;
                n++; p += u.Metrics.Precision; rc += u.Metrics.Recall; nd += u.Metrics.Ndcg; ap += u.Metrics.AveragePrecision; rr += u.Metrics.ReciprocalRank; h += u.Metrics.Hit;
            }
        return n == 0 ? new RankingMetricMeans(0, 0, 0, 0, 0, 0, 0) : new RankingMetricMeans(n, p / n, rc / n, nd / n, ap / n, rr / n, h / n);
    }

    /// <summary>Means over a group of units; the count is named <paramref name="countKey"/> (<c>users</c> for the warm/cold split).</summary>
    public static JsonObject Means(RankingMetricMeans m, string countKey = "users") => new()
    {
        [countKey] = m.Users,
        ["precision"] = m.Precision,
        ["recall"] = m.Recall,
        ["ndcg"] = m.Ndcg,
        ["map"] = m.Map,
    };

    public static void WriteTable(IAnsiConsole console, string title, ProtocolEvaluationResult r, double fitSeconds)
    {
        var t = new Table().Title(Markup.Escape(title)).AddColumn("units");
        foreach (var c in new[] { "n", $"P@{r.K}", $"R@{r.K}", $"NDCG@{r.K} [95% CI]", $"MAP@{r.K}", "hit rate" })
            t.AddColumn(new TableColumn(Markup.Escape(c)).RightAligned());
        void Row(string name, RankingMetricMeans m, string ndcg) => t.AddRow(Markup.Escape(name), m.Users.ToString(CultureInfo.InvariantCulture),
            F(m.Precision), F(m.Recall), ndcg, F(m.Map), F(m.HitRate));
        var (lo, hi) = r.Intervals[ReportedMetric.Ndcg];
        Row("all", r.Means, Markup.Escape($"{F(r.Means.Ndcg)} [{F(lo)}, {F(hi)}]"));
        Row("warm users", Pool(r, true), F(Pool(r, true).Ndcg));
        Row("cold users", Pool(r, false), F(Pool(r, false).Ndcg));
        Row("warm items only", r.WarmItemsOnly, F(r.WarmItemsOnly.Ndcg));
        Row("new items only", r.NewItemsOnly, F(r.NewItemsOnly.Ndcg));
        t.AddRow("random (exact)", "", F(r.Random.Precision), F(r.Random.Recall), F(r.Random.Ndcg), "", F(r.Random.Hit));
        console.Write(t);
        console.MarkupLine($"cold share {F(r.ColdShare)}, candidate coverage {F(r.CandidateCoverage)}, {r.Folds.Count} fold(s), fit {fitSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s");
    }

    /// <summary>The table of a single-split evaluation (reproduce's tasks).</summary>
    public static void WriteTable(IAnsiConsole console, string title, RankingEvaluationResult r, double fitSeconds)
    {
        var t = new Table().Title(Markup.Escape(title)).AddColumn("users");
        foreach (var c in new[] { "n", $"P@{r.K}", $"R@{r.K}", $"NDCG@{r.K}", $"MAP@{r.K}", "MRR", "hit rate" })
            t.AddColumn(new TableColumn(c).RightAligned());
        void Row(string name, RankingMetricMeans m) => t.AddRow(name, m.Users.ToString(CultureInfo.InvariantCulture),
            F(m.Precision), F(m.Recall), F(m.Ndcg), F(m.Map), F(m.Mrr), F(m.HitRate));
        Row("all", r.All);
        Row("warm", r.Warm);
        Row("cold", r.Cold);
        console.Write(t);
        console.MarkupLine($"catalog coverage {F(r.CatalogCoverage)}, fit {fitSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s");
    }

    public static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}

/// <summary>The sampled-negatives fields of <c>evaluate --json</c>.</summary>
internal static class SampledNegativesJson
{
    public static void Add(JsonObject json, SampledNegativesResult r, int resamples)
    {
        var (at5, at10) = r.Intervals(resamples);
        json["sampled_negatives"] = r.Negatives;
        json["hit_rate_at_5"] = r.HitRateAt5;
        json["hit_rate_at_10"] = r.HitRateAt10;
        json["ci"]!["hit_rate_at_5"] = new JsonArray(at5.Low, at5.High);
        json["ci"]!["hit_rate_at_10"] = new JsonArray(at10.Low, at10.High);
        json["random"]!["hit_rate_at_5"] = r.RandomHitRateAt5;
        json["random"]!["hit_rate_at_10"] = r.RandomHitRateAt10;
    }
}
