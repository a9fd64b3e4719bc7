using System.Diagnostics;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Reporting;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Popularity;
using DeskdropML.Tuning;
using Spectre.Console;

namespace DeskdropML.Cli.Reproduce;

/// <summary>The notebook's tasks in order.</summary>
internal static class ReproduceTasks
{
    public static IReadOnlyList<ReproduceTask> All { get; } = new ReproduceTask[]
    {
        new("leak_free", "Leak-free backtests on deskdrop (daily and weekly folds, seen candidates): components, two-stage recommender, ablation", LeakFreeTask.Run),
        new("data", "Matrices: load, weight, filter, smooth, split (both benchmarks)", DataFacts),
        new("popularity", "Popularity baseline (and 3-day recency popularity)", Popularity),
        new("warp", "WARP pure collaborative filtering on deskdrop (WARP, BPR, logistic), learning curve", ModelTasks.Warp),
        new("text", "Text features on deskdrop-text: WARP pure CF vs + raw / + clean TF-IDF, content model", ModelTasks.Text),
        new("tuned_warp", "WARP tuned on a validation split carved from train (test used once)", ModelTasks.TunedWarp),
        new("als", "ALS: implicit (paper and implicit-0.7 confidence) and explicit", ModelTasks.Als),
        new("tuned_als", "ALS tuned on a validation split carved from train (test used once)", ModelTasks.TunedAls),
        new("ffm", "ML.NET baseline: FieldAwareFactorizationMachine with sampled negatives", ModelTasks.Ffm),
        new("baselines", "Simple baselines: item-kNN (cosine, TF-IDF, BM25), EASE, PureSVD with the Python notebook's 15 factors", ModelTasks.Baselines),
        new("cross_check", "Metric cross-check: our P/R/NDCG@10 vs ML.NET Ranking.Evaluate NDCG@10 for the best model", ModelTasks.CrossCheck),
    };

    private static JsonObject DataFacts(ReproduceContext c)
    {
        var result = new JsonObject();
        foreach (var kind in new[] { DeskdropBenchmarkKind.Deskdrop, DeskdropBenchmarkKind.DeskdropText })
        {
            var b = c.Benchmark(kind);
            var s = b.Dataset.Summary;
            result[b.Name] = new JsonObject
            {
                ["interactions_raw"] = s.InteractionsRaw, ["users_total"] = s.UsersTotal, ["users_kept"] = s.UsersKept,
                ["interactions_kept"] = s.InteractionsKept, ["pairs"] = s.Pairs, ["items"] = s.Items,
                ["train_pairs"] = s.TrainPairs, ["test_pairs"] = s.TestPairs, ["test_users"] = s.TestUsers,
                ["train_shape"] = new JsonArray(b.Dataset.Train.Rows, b.Dataset.Train.Columns),
                ["train_stored"] = b.Dataset.Train.NonZeroCount, ["test_stored"] = b.Dataset.Test.NonZeroCount,
                ["cold_test_users"] = s.ColdTestUsers, ["test_pairs_on_items_without_train"] = s.TestPairsOnItemsWithoutTrain,
            };
            c.Output.Human.MarkupLine($"      {b.Name}: {b.Dataset.Train.Rows:N0} x {b.Dataset.Train.Columns:N0}, train {s.TrainPairs:N0} / test {s.TestPairs:N0} stored");
        }
        return result;
    }

    private static JsonObject Popularity(ReproduceContext c)
    {
        var result = new JsonObject();
        foreach (var kind in new[] { DeskdropBenchmarkKind.Deskdrop, DeskdropBenchmarkKind.DeskdropText })
        {
            var ds = c.Benchmark(kind).Dataset;
            string name = DeskdropBenchmark.NameOf(kind);
            result[name] = Evaluate(c, "popularity", "popularity", kind,
                () => PopularityModel.Fit(ds.Train, ds.Users, ds.Items));
            result[name + "/recency-3d"] = Evaluate(c, "popularity", "popularity, 3-day half-life", kind,
                () => PopularityModel.Fit(ds.Train, ds.Users, ds.Items, new PopularityOptions { HalfLifeSeconds = 3 * 86400.0 }, ds.TrainTimestamps));
        }
        return result;
    }

    /// <summary>Fits once, evaluates on test at k = 10, adds a table row and returns the metrics as JSON.</summary>
    internal static JsonObject Evaluate(ReproduceContext c, string task, string model, DeskdropBenchmarkKind kind, Func<IRecommenderModel> fit) =>
        EvaluateSeeds(c, task, model, kind, new[] { c.Seed }, _ => fit());

    /// <summary>
    /// Fits once per seed (users without train interactions ranked by the popularity fallback), evaluates each on
    /// test at k = 10, adds one table row with the means and returns the per-seed and mean metrics as JSON.
    /// </summary>
    internal static JsonObject EvaluateSeeds(ReproduceContext c, string task, string model, DeskdropBenchmarkKind kind, IReadOnlyList<int> seeds, Func<int, IRecommenderModel> fit)
    {
        var ds = c.Benchmark(kind).Dataset;
        var runs = new List<(RankingEvaluationResult Result, double Seconds)>();
        var perSeed = new JsonArray();
        foreach (int seed in seeds)
        {
            var sw = Stopwatch.StartNew();
            var fitted = fit(seed);
            sw.Stop();
            IRecommenderModel scorer = fitted is PopularityModel ? fitted : new ColdUserFallbackModel(fitted, ds.Train);
            var r = RankingEvaluator.Evaluate(ds.Train, ds.Test, scorer, new RankingEvaluationOptions { K = 10, NumberOfThreads = c.Threads });
            runs.Add((r, sw.Elapsed.TotalSeconds));
            perSeed.Add(new JsonObject { ["seed"] = seed, ["precision"] = r.Precision, ["recall"] = r.Recall, ["ndcg"] = r.Ndcg, ["map"] = r.Map, ["fit_seconds"] = sw.Elapsed.TotalSeconds });
            c.Candidate(model, kind, r.Ndcg, scorer);
        }
        double Mean(Func<RankingEvaluationResult, double> f) => runs.Average(x => f(x.Result));
        double seconds = runs.Average(x => x.Seconds);
        var first = runs[0].Result;
        c.Report.Rows.Add(new ResultRow(task, model, DeskdropBenchmark.NameOf(kind), Mean(r => r.Precision), Mean(r => r.Recall), Mean(r => r.Ndcg), Mean(r => r.Map), seconds, first.UsersEvaluated));
        c.Output.Human.MarkupLine($"      {Markup.Escape(model)} on {DeskdropBenchmark.NameOf(kind)}: P@10 {MetricsJson.F(Mean(r => r.Precision))}, " +
            $"R@10 {MetricsJson.F(Mean(r => r.Recall))}, NDCG@10 {MetricsJson.F(Mean(r => r.Ndcg))} (mean of {seeds.Count} seed(s)), fit {seconds:0.00} s");
        return new JsonObject
        {
            ["model"] = model, ["benchmark"] = DeskdropBenchmark.NameOf(kind), ["k"] = 10, ["users_evaluated"] = first.UsersEvaluated,
            ["protocol"] = "time", ["candidates"] = CandidatePolicy.Catalog.ToLabel(),
            ["random"] = new JsonObject { ["precision"] = first.Random.Precision, ["recall"] = first.Random.Recall, ["ndcg"] = first.Random.Ndcg },
            ["cold_share"] = first.ColdShare,
            ["seeds"] = new JsonArray(seeds.Select(s => (JsonNode)s).ToArray()),
            ["precision"] = Mean(r => r.Precision), ["recall"] = Mean(r => r.Recall), ["ndcg"] = Mean(r => r.Ndcg), ["map"] = Mean(r => r.Map),
            ["mrr"] = Mean(r => r.Mrr), ["hit_rate"] = Mean(r => r.HitRate), ["catalog_coverage"] = Mean(r => r.CatalogCoverage),
            ["fit_seconds"] = seconds, ["per_seed"] = perSeed,
            ["warm"] = MetricsJson.Means(first.Warm), ["cold"] = MetricsJson.Means(first.Cold),
        };
    }
}
