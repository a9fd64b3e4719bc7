using System.Diagnostics;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Reporting;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Ranking;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Als;
using DeskdropML.Trainers.Popularity;
using Spectre.Console;

namespace DeskdropML.Cli.Reproduce;

/// <summary>
/// The leak-free section of <c>reproduce</c>: rolling backtests on <c>deskdrop</c> (daily and weekly folds, <c>seen</c>
/// candidates, k = 10): every component alone, the two-stage recommender and (daily, full run) its ablation, each with a
/// bootstrap interval and the paired difference to the best recency baseline (docs/two-stage.md).
/// </summary>
internal static class LeakFreeTask
{
    /// <summary>A model of the section: its name and a factory of a fresh per-run fitter (streaming models keep state across folds).</summary>
    private sealed record Entry(string Name, Func<FoldFit> Create, bool IsRecency = false);

    /// <summary>The two-stage settings chosen on the validation folds (docs/two-stage.md, "Choosing the settings").</summary>
    internal static TwoStageTrainer.Options TwoStageOptions(double foldDays, int seed, bool quick, FeatureGroups without = FeatureGroups.None) =>
        Models.LeakFreeDefaults.Assemble(new FreshnessState.Options().RecentItems,
            new CandidateOptions { Recency = 50, Fresh = 20, CoRead = 30, Groups = FeatureGroups.All & ~without },
            new LambdaRankTrainer.Options { NumberOfIterations = quick ? 30 : 100, LearningRate = 0.1, NumberOfLeaves = 15, MinimumExampleCountPerLeaf = 50, Seed = seed },
            foldDays * 24, Models.LeakFreeDefaults.TrainingDays(foldDays), retrainDays: quick ? 0 : 7, seed);

    public static JsonObject Run(ReproduceContext c)
    {
        var b = c.Benchmark(DeskdropBenchmarkKind.Deskdrop);
        var history = InteractionHistory.Build(b.Log, minItemsPerUser: 5);
        var result = new JsonObject();
        var plans = c.Quick ? new[] { 7.0 } : new[] { 1.0, 7.0 };
        foreach (double days in plans)
        {
            string key = days == 1 ? "daily" : "weekly";
            var protocol = new RollingBacktest(new RollingBacktest.Options { SplitTime = b.Dataset.Summary.SplitTime, FoldDays = days });
            var folds = protocol.TestFolds(history, CandidatePolicy.Seen);
            var entries = Entries(c, days, ablation: !c.Quick && days == 1);
            result[key] = Section(c, $"deskdrop, {key} folds", folds, entries, days);
        }
        return result;
    }

    private static List<Entry> Entries(ReproduceContext c, double days, bool ablation)
    {
        var list = new List<Entry>
        {
            new("popularity (all time)", () => f => PopularityModel.Fit(f.Dataset.Train, f.Dataset.Users, f.Dataset.Items).ScoreItems),
        };
        foreach (double hours in c.Quick ? new[] { 6.0 } : new[] { 1.0, 3.0, 6.0, 24.0, 72.0, 168.0 })
            list.Add(new($"recency {RankingFeatures.HalfLifeLabel(hours)}", () => f => Recency(f, hours), IsRecency: true));
        foreach (var (name, kind) in new[] { ("fresh (newest first)", GeneratorKind.Fresh), ("trend", GeneratorKind.Trend), ("co-read (read next)", GeneratorKind.CoRead), ("neighbours (personal freshness)", GeneratorKind.Neighbours) })
            list.Add(new(name, () => { var g = new GeneratorModel(kind); return f => g.Fit(f).ScoreItems; }));
        if (!c.Quick)
        {
            // Full refit every 7 days of folds, users recalculated in between (AlsRollingRefit).
            int refit = Math.Max(1, (int)Math.Round(7 / days));
            list.Add(new("ALS 64 f", () => Als(c, halfLifeDays: null, refit)));
            list.Add(new("ALS 64 f, recency-weighted (7 d)", () => Als(c, halfLifeDays: 7, refit)));
        }
        list.Add(new("two-stage", () => TwoStage(TwoStageOptions(days, c.Seed, c.Quick))));
        if (ablation)
            foreach (var g in FeatureGroupNames.Singles)
                list.Add(new($"two-stage without {FeatureGroupNames.Name(g)}", () => TwoStage(TwoStageOptions(days, c.Seed, c.Quick, g))));
        return list;
    }

    private static UserScorer Recency(EvaluationFold f, double hours)
    {
        var e = f.TrainEvents;
        return RecencyPopularityModel.Fit(f.Dataset.Users, f.Dataset.Items, e.Items, e.Times, f.Start!.Value, hours * 3600).ScoreItems;
    }

    private static FoldFit Als(ReproduceContext c, double? halfLifeDays, int refitEvery)
    {
        var refit = new AlsRollingRefit(new AlsTrainer.Options { NumberOfFactors = 64, Regularization = 0.01f, Alpha = 1, NumberOfIterations = 15, NumberOfThreads = 1, Seed = c.Seed }, refitEvery);
        return f =>
        {
            var ds = f.Dataset;
            var matrix = halfLifeDays is double d ? RecencyWeighting.Apply(ds.Train, ds.TrainTimestamps, d * 86400, f.Start) : ds.Train;
            return new ColdUserFallbackModel(refit.Fit(matrix, ds.Users, ds.Items), ds.Train).ScoreItems;
        };
    }

    private static FoldFit TwoStage(TwoStageTrainer.Options options)
    {
        var fitter = new TwoStageFoldFitter(options);
        return f => fitter.Fit(f).ScoreItems;
    }

    private static JsonObject Section(ReproduceContext c, string title, IReadOnlyList<EvaluationFold> folds, List<Entry> entries, double days)
    {
        var results = new List<(Entry Entry, ProtocolEvaluationResult Result, double Seconds)>();
        var options = new ProtocolEvaluationOptions { K = 10, NumberOfThreads = c.Threads, BootstrapSeed = c.Seed };
        foreach (var entry in entries)
        {
            var fit = entry.Create();
            double seconds = 0;
            var r = ProtocolEvaluator.Evaluate("backtest", folds, f =>
            {
                var sw = Stopwatch.StartNew();
                var scorer = fit(f);
                seconds += sw.Elapsed.TotalSeconds;
                return scorer;
            }, options);
            results.Add((entry, r, seconds));
            c.Output.Human.MarkupLine($"      {Markup.Escape(title)}: {Markup.Escape(entry.Name)} NDCG@10 {MetricsJson.F(r.Means.Ndcg)} " +
                $"[[{MetricsJson.F(r.Intervals[ReportedMetric.Ndcg].Low)}, {MetricsJson.F(r.Intervals[ReportedMetric.Ndcg].High)}]], fit {seconds:0.0} s");
        }
        // The reference: the strongest recency baseline on these folds (the hardest comparison for every other model).
        var reference = results.Where(x => x.Entry.IsRecency).OrderByDescending(x => x.Result.Means.Ndcg).First();
        var section = new LeakFreeSection(title, reference.Entry.Name, days, folds.Count, reference.Result.Units);
        var models = new JsonArray();
        foreach (var (entry, r, seconds) in results)
        {
            var diff = r.PairedDifference(reference.Result)[ReportedMetric.Ndcg];
            var (lo, hi) = r.Intervals[ReportedMetric.Ndcg];
            section.Rows.Add(new LeakFreeRow(entry.Name, r.Means.Ndcg, lo, hi, r.Means.Recall, diff.Mean, diff.Low, diff.High, seconds));
            section.PerFold[entry.Name] = r.Folds.Select(f => f.UsersEvaluated == 0 ? double.NaN : f.Ndcg).ToArray();
            var json = new JsonObject
            {
                ["model"] = entry.Name,
                ["ndcg"] = r.Means.Ndcg,
                ["recall"] = r.Means.Recall,
                ["precision"] = r.Means.Precision,
                ["ci"] = ProtocolOptions.Intervals(r),
                ["diff_to_reference"] = new JsonObject { ["ndcg"] = new JsonArray(diff.Mean, diff.Low, diff.High) },
                ["ratio_to_reference"] = r.Means.Ndcg / reference.Result.Means.Ndcg,
                ["fit_seconds"] = Math.Round(seconds, 3),
            };
            models.Add(json);
        }
        section.FoldStarts = folds.Select(f => (double)f.Start!.Value).ToArray();
        c.Report.LeakFree.Add(section);
        var random = reference.Result.Random;
        return new JsonObject
        {
            ["protocol"] = "backtest",
            ["fold_days"] = days,
            ["candidates"] = "seen",
            ["k"] = 10,
            ["folds"] = folds.Count,
            ["units"] = reference.Result.Units,
            ["random"] = new JsonObject { ["ndcg"] = random.Ndcg, ["recall"] = random.Recall },
            ["reference"] = reference.Entry.Name,
            ["models"] = models,
        };
    }
}
