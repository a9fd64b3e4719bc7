using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Evaluation;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary><c>deskdrop evaluate</c>: train on train, evaluate on test.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var models = ModelRegistry.CreateDefault();
        var k = new Option<int>("--k") { Description = "Cut-off of the ranking metrics", DefaultValueFactory = _ => 10 };
        var keepTrain = new Option<bool>("--keep-train-items") { Description = "Rank the user's train items too (lightfm.evaluation without train_interactions)" };
        var command = new Command("evaluate", "Train a model on the train split and report ranking metrics on the test split (train items excluded).");
        common.AddTo(command);
        models.AddTo(command);
        command.Options.Add(k);
        command.Options.Add(keepTrain);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            int cutoff = parsed.GetValue(k);
            if (cutoff < 1) throw new CliUsageException($"--k must be >= 1 (got {cutoff})");
            var spec = models.Get(parsed);
            int threads = common.GetThreads(parsed);
            var data = common.Load(parsed, output);
            var fitted = spec.Fit(new FitRequest(data, parsed, output, parsed.GetValue(common.Seed), threads));
            var result = output.Status($"Evaluating {spec.Name} at k={cutoff}", () => RankingEvaluator.Evaluate(
                data.Dataset.Train, data.Dataset.Test, fitted.Scorer,
                new RankingEvaluationOptions { K = cutoff, ExcludeTrainItems = !parsed.GetValue(keepTrain), NumberOfThreads = threads }));
            var json = MetricsJson.Result(spec.Name, data.Name, result, fitted);
            output.WriteJson(json);
            MetricsJson.WriteTable(output.Human, $"{spec.Name} on {data.Name}", result, fitted.FitSeconds);
            return 0;
        });
        return command;
    }
}

/// <summary>The JSON and table shapes of evaluation results (DESIGN section 8).</summary>
internal static class MetricsJson
{
    public static JsonObject Result(string model, string benchmark, RankingEvaluationResult r, FittedModel fitted) => new()
    {
        ["model"] = model,
        ["benchmark"] = benchmark,
        ["k"] = r.K,
        ["users_evaluated"] = r.UsersEvaluated,
        ["precision"] = r.Precision,
        ["recall"] = r.Recall,
        ["ndcg"] = r.Ndcg,
        ["map"] = r.Map,
        ["mrr"] = r.Mrr,
        ["hit_rate"] = r.HitRate,
        ["catalog_coverage"] = r.CatalogCoverage,
        ["fit_seconds"] = fitted.FitSeconds,
        ["exclude_train_items"] = r.ExcludeTrainItems,
        ["standard_error"] = StandardErrors(r),
        ["warm"] = Means(r.Warm),
        ["cold"] = Means(r.Cold),
        ["parameters"] = fitted.Parameters,
    };

    /// <summary>Standard error of each mean over the evaluated users: sample standard deviation / sqrt(users).</summary>
    public static JsonObject StandardErrors(RankingEvaluationResult r)
    {
        double Se(Func<UserRankingMetrics, double> metric)
        {
            int n = r.PerUser.Count;
            if (n < 2) return 0;
            double mean = 0, squares = 0;
            foreach (var u in r.PerUser) mean += metric(u.Metrics);
            mean /= n;
            foreach (var u in r.PerUser) squares += (metric(u.Metrics) - mean) * (metric(u.Metrics) - mean);
            return Math.Sqrt(squares / (n - 1) / n);
        }
        return new JsonObject
        {
            ["precision"] = Se(m => m.Precision),
            ["recall"] = Se(m => m.Recall),
            ["ndcg"] = Se(m => m.Ndcg),
            ["map"] = Se(m => m.AveragePrecision),
        };
    }

    public static JsonObject Means(RankingMetricMeans m) => new()
    {
        ["users"] = m.Users,
        ["precision"] = m.Precision,
        ["recall"] = m.Recall,
        ["ndcg"] = m.Ndcg,
        ["map"] = m.Map,
    };

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
