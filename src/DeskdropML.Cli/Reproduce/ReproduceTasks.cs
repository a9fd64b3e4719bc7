using System.Diagnostics;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Reporting;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Popularity;
using Spectre.Console;

namespace DeskdropML.Cli.Reproduce;

/// <summary>The notebook's tasks in order.</summary>
internal static class ReproduceTasks
{
    public static IReadOnlyList<ReproduceTask> All { get; } = new ReproduceTask[]
    {
        new("data", "Matrices: load, weight, filter, smooth, split (both benchmarks)", DataFacts),
        new("popularity", "Popularity baseline (and 3-day recency popularity)", Popularity),
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

    /// <summary>Fits, evaluates on test at k = 10, adds a table row and returns the metrics as JSON.</summary>
    internal static JsonObject Evaluate(ReproduceContext c, string task, string model, DeskdropBenchmarkKind kind, Func<IRecommenderModel> fit)
    {
        var ds = c.Benchmark(kind).Dataset;
        var sw = Stopwatch.StartNew();
        var fitted = fit();
        sw.Stop();
        var r = RankingEvaluator.Evaluate(ds.Train, ds.Test, fitted, new RankingEvaluationOptions { K = 10, NumberOfThreads = c.Threads });
        return Record(c, task, model, kind, r, sw.Elapsed.TotalSeconds);
    }

    internal static JsonObject Record(ReproduceContext c, string task, string model, DeskdropBenchmarkKind kind, RankingEvaluationResult r, double fitSeconds)
    {
        c.Report.Rows.Add(new ResultRow(task, model, DeskdropBenchmark.NameOf(kind), r.Precision, r.Recall, r.Ndcg, r.Map, fitSeconds, r.UsersEvaluated));
        return new JsonObject
        {
            ["model"] = model, ["benchmark"] = DeskdropBenchmark.NameOf(kind), ["k"] = r.K, ["users_evaluated"] = r.UsersEvaluated,
            ["precision"] = r.Precision, ["recall"] = r.Recall, ["ndcg"] = r.Ndcg, ["map"] = r.Map, ["mrr"] = r.Mrr,
            ["hit_rate"] = r.HitRate, ["catalog_coverage"] = r.CatalogCoverage, ["fit_seconds"] = fitSeconds,
            ["warm"] = MetricsJson.Means(r.Warm), ["cold"] = MetricsJson.Means(r.Cold),
        };
    }
}
