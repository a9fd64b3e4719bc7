using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Cli.Reporting;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Features;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Als;
using DeskdropML.Trainers.Content;
using DeskdropML.Trainers.Ease;
using DeskdropML.Trainers.Ffm;
using DeskdropML.Trainers.Neighbors;
using DeskdropML.Trainers.Svd;
using DeskdropML.Trainers.Warp;
using DeskdropML.Tuning;
using Spectre.Console;

namespace DeskdropML.Cli.Reproduce;

/// <summary>The model tasks of <c>deskdrop reproduce</c> (settings are written into the JSON next to the numbers).</summary>
internal static class ModelTasks
{
    private const DeskdropBenchmarkKind Deskdrop = DeskdropBenchmarkKind.Deskdrop;
    private const DeskdropBenchmarkKind TextBenchmark = DeskdropBenchmarkKind.DeskdropText;

    private static int WarpEpochs(ReproduceContext c) => c.Quick ? 10 : 50;

    private static WarpTrainer.Options WarpOptions(ReproduceContext c, int seed, WarpLoss loss = WarpLoss.Warp) => new()
    {
        NumberOfComponents = 10,
        NumberOfEpochs = WarpEpochs(c),
        LearningRate = 0.05f,
        Loss = loss,
        Seed = seed,
        NumberOfThreads = 1,
    };

    private static WarpTrainer.Options WithEpochs(WarpTrainer.Options o, int epochs)
    {
        o.NumberOfEpochs = epochs;
        return o;
    }

    public static JsonObject Warp(ReproduceContext c)
    {
        var ds = c.Benchmark(Deskdrop).Dataset;
        var result = new JsonObject
        {
            ["settings"] = new JsonObject { ["components"] = 10, ["epochs"] = WarpEpochs(c), ["learning_rate"] = 0.05, ["threads"] = 1 },
        };
        foreach (var loss in new[] { WarpLoss.Warp, WarpLoss.Bpr, WarpLoss.Logistic })
        {
            string name = loss switch { WarpLoss.Warp => "warp", WarpLoss.Bpr => "warp (bpr loss)", _ => "warp (logistic loss)" };
            result[loss.ToString().ToLowerInvariant()] = ReproduceTasks.EvaluateSeeds(c, "warp", name, Deskdrop, c.Seeds,
                seed => new WarpTrainer(WarpOptions(c, seed, loss)).Fit(ds.Train, ds.Users, ds.Items));
        }
        var model = new WarpTrainer(WarpOptions(c, c.Seed)).Fit(ds.Train, ds.Users, ds.Items);
        string zip = Path.Combine(c.OutputDirectory, "warp.zip");
        TrainCommand.Save(model, ds.Train, "warp", zip);
        result["model_zip"] = zip;
        result["learning_curve"] = LearningCurve(c);
        return result;
    }

    /// <summary>Validation precision@10 after every WARP epoch, on the split carved from train.</summary>
    private static JsonObject LearningCurve(ReproduceContext c)
    {
        var validation = c.Benchmark(Deskdrop).Dataset.CarveValidation(0.2);
        var trainer = new WarpTrainer(WithEpochs(WarpOptions(c, c.Seed), 1));
        var x = new List<double>();
        var y = new List<double>();
        WarpModelParameters? model = null;
        for (int epoch = 1; epoch <= WarpEpochs(c); epoch++)
        {
            model = model is null
                ? trainer.Fit(validation.Train, validation.Users, validation.Items)
                : trainer.FitPartial(model, validation.Train, 1);
            var r = RankingEvaluator.Evaluate(validation.Train, validation.Test, new ColdUserFallbackModel(model, validation.Train),
                new RankingEvaluationOptions { K = 10, NumberOfThreads = c.Threads });
            x.Add(epoch);
            y.Add(r.Precision);
        }
        c.Report.LearningCurves.Add(new Series("WARP, 10 components, lr 0.05 (deskdrop validation split)", x, y));
        return new JsonObject
        {
            ["split"] = "validation carved from train (last 20% of the train time span)",
            ["epochs"] = new JsonArray(x.Select(v => (JsonNode)v).ToArray()),
            ["validation_precision_at_10"] = new JsonArray(y.Select(v => (JsonNode)v).ToArray()),
        };
    }

    public static JsonObject Text(ReproduceContext c)
    {
        var benchmark = c.Benchmark(TextBenchmark);
        var ds = benchmark.Dataset;
        var data = new LoadedData(benchmark.Name, ds, benchmark.Log.Report, benchmark.Articles);
        var raw = TextFeatureOptions.Build(data, TextFeaturePreset.Raw, false, c.Output);
        var clean = TextFeatureOptions.Build(data, TextFeaturePreset.Clean, false, c.Output);
        var result = new JsonObject
        {
            ["settings"] = new JsonObject { ["components"] = 10, ["epochs"] = WarpEpochs(c), ["learning_rate"] = 0.05, ["identity_features"] = true },
            ["vocabulary_raw"] = raw.Vocabulary.Count,
            ["vocabulary_clean"] = clean.Vocabulary.Count,
        };
        result["warp_cf"] = ReproduceTasks.EvaluateSeeds(c, "text", "warp (pure CF)", TextBenchmark, c.Seeds,
            seed => new WarpTrainer(WarpOptions(c, seed)).Fit(ds.Train, ds.Users, ds.Items));
        result["warp_raw"] = ReproduceTasks.EvaluateSeeds(c, "text", "warp + raw TF-IDF", TextBenchmark, c.Seeds,
            seed => new WarpTrainer(WarpOptions(c, seed)).Fit(ds.Train, ds.Users, ds.Items, null, raw.Matrix));
        result["warp_clean"] = ReproduceTasks.EvaluateSeeds(c, "text", "warp + clean TF-IDF", TextBenchmark, c.Seeds,
            seed => new WarpTrainer(WarpOptions(c, seed)).Fit(ds.Train, ds.Users, ds.Items, null, clean.Matrix));
        // The fair hybrid of docs/hybrid.md: clean text only (no per-item parameter), negatives drawn among items with
        // a train interaction, so items without one are not pushed down as perpetual negatives.
        result["warp_clean_text_only_train_negatives"] = ReproduceTasks.EvaluateSeeds(c, "text", "warp, clean text only, train-item negatives", TextBenchmark, c.Seeds,
            seed =>
            {
                var o = WarpOptions(c, seed);
                o.UseItemIdentityFeatures = false;
                o.NegativeSampling = WarpNegativeSampling.TrainItems;
                return new WarpTrainer(o).Fit(ds.Train, ds.Users, ds.Items, null, clean.Matrix);
            });
        result["content_raw"] = ReproduceTasks.Evaluate(c, "text", "content (raw TF-IDF)", TextBenchmark,
            () => new ContentTrainer(new ContentTrainer.Options { NumberOfThreads = c.Threads }).Fit(ds.Train, ds.Users, ds.Items, raw.Matrix));
        result["content_clean"] = ReproduceTasks.Evaluate(c, "text", "content (clean TF-IDF)", TextBenchmark,
            () => new ContentTrainer(new ContentTrainer.Options { NumberOfThreads = c.Threads }).Fit(ds.Train, ds.Users, ds.Items, clean.Matrix));
        return result;
    }

    public static JsonObject TunedWarp(ReproduceContext c) => Tuned(c, new WarpModelSpec(new ModelFlags(), new TextFeatureOptions()), "tuned_warp");

    public static JsonObject TunedAls(ReproduceContext c) => Tuned(c, new AlsModelSpec(new ModelFlags()), "tuned_als");

    private static JsonObject Tuned(ReproduceContext c, ITunableModel tunable, string task)
    {
        var ds = c.Benchmark(Deskdrop).Dataset;
        int trials = c.Quick ? 3 : 27;
        // WARP with more than one thread is Hogwild (not bit-reproducible): the reproduce run keeps it single-threaded.
        int threads = tunable is WarpModelSpec ? 1 : c.Threads;
        var result = TuneCommand.Run(tunable, ds, trials, c.Seed, threads, TuningMetric.Ndcg, 0.2, halving: true, c.Output,
            minBudget: c.Quick ? 2 : tunable.MinBudget, maxBudget: c.Quick ? 6 : tunable.MaxBudget);
        var json = result.ToJson(tunable.Name);
        var trialScores = result.Trials.Select(t => t.Score).ToList();
        c.Report.TuningTrials.Add(new Series($"{tunable.Name} (validation NDCG@10)", Enumerable.Range(1, trialScores.Count).Select(i => (double)i).ToList(), trialScores));
        var test = result.Test;
        c.Report.Rows.Add(new ResultRow(task, $"{tunable.Name} tuned on validation", "deskdrop", test.Precision, test.Recall, test.Ndcg, test.Map, result.FinalFitSeconds, test.Users));
        c.Candidate($"{tunable.Name} tuned", Deskdrop, test.Ndcg, result.FinalModel);
        var final = result.FinalModel is ColdUserFallbackModel wrapped ? wrapped.Inner : result.FinalModel;
        if (final is IFactorizationModel factorization)
        {
            string zip = Path.Combine(c.OutputDirectory, $"{task.Replace('_', '-')}.zip");
            TrainCommand.Save(factorization, ds.Train, tunable.Name, zip);
            json["model_zip"] = zip;
        }
        return json;
    }

    public static JsonObject Als(ReproduceContext c)
    {
        var ds = c.Benchmark(Deskdrop).Dataset;
        int iterations = c.Quick ? 5 : 15;
        AlsTrainer.Options Options(int seed, AlsConfidence confidence, AlsFeedback feedback) => new()
        {
            NumberOfFactors = 64, Regularization = 0.01f, Alpha = 1f, NumberOfIterations = iterations,
            Confidence = confidence, Feedback = feedback, Seed = seed, NumberOfThreads = c.Threads,
        };
        var result = new JsonObject
        {
            ["settings"] = new JsonObject { ["factors"] = 64, ["regularization"] = 0.01, ["alpha"] = 1.0, ["iterations"] = iterations, ["solver"] = "cg (3 steps)" },
        };
        result["implicit_paper"] = ReproduceTasks.EvaluateSeeds(c, "als", "als implicit (c = 1 + alpha r)", Deskdrop, c.Seeds,
            seed => new AlsTrainer(Options(seed, AlsConfidence.OnePlusAlphaR, AlsFeedback.Implicit)).Fit(ds.Train, ds.Users, ds.Items));
        result["implicit_alpha_r"] = ReproduceTasks.EvaluateSeeds(c, "als", "als implicit (c = alpha r, implicit 0.7)", Deskdrop, c.Seeds,
            seed => new AlsTrainer(Options(seed, AlsConfidence.AlphaR, AlsFeedback.Implicit)).Fit(ds.Train, ds.Users, ds.Items));
        result["explicit"] = ReproduceTasks.EvaluateSeeds(c, "als", "als explicit (observed entries only)", Deskdrop, c.Seeds,
            seed => new AlsTrainer(Options(seed, AlsConfidence.OnePlusAlphaR, AlsFeedback.Explicit)).Fit(ds.Train, ds.Users, ds.Items));
        var model = new AlsTrainer(Options(c.Seed, AlsConfidence.OnePlusAlphaR, AlsFeedback.Implicit)).Fit(ds.Train, ds.Users, ds.Items);
        string zip = Path.Combine(c.OutputDirectory, "als.zip");
        TrainCommand.Save(model, ds.Train, "als", zip);
        result["model_zip"] = zip;
        return result;
    }

    public static JsonObject Ffm(ReproduceContext c)
    {
        var ds = c.Benchmark(Deskdrop).Dataset;
        var options = new FfmRecommender.Options { LatentDimension = 32, NumberOfIterations = c.Quick ? 5 : 20, Seed = c.Seed };
        FfmRecommenderModel? last = null;
        var result = ReproduceTasks.EvaluateSeeds(c, "ffm", "ML.NET FieldAwareFactorizationMachine", Deskdrop, c.Seeds, seed =>
        {
            options.Seed = seed;
            return last = FfmRecommender.Fit(ds.Train, ds.Users, ds.Items, options);
        });
        result["settings"] = new JsonObject { ["latent_dimension"] = options.LatentDimension, ["iterations"] = options.NumberOfIterations, ["negatives_per_positive"] = options.NegativesPerPositive };
        string zip = Path.Combine(c.OutputDirectory, "ffm.zip");
        TrainCommand.Save(last!, ds.Train, "ffm", zip);
        result["model_zip"] = zip;
        return result;
    }

    /// <summary>
    /// The simple baselines a reviewer asks for, at their documented defaults (nothing tuned on test): item-kNN with each
    /// weighting (20 neighbours, as <c>implicit</c>), EASE (λ 500) and PureSVD with the Python notebook's 15 factors.
    /// </summary>
    public static JsonObject Baselines(ReproduceContext c)
    {
        var ds = c.Benchmark(Deskdrop).Dataset;
        var result = new JsonObject
        {
            ["settings"] = new JsonObject { ["itemknn_neighbors"] = 20, ["bm25_k1"] = 1.2, ["bm25_b"] = 0.75, ["ease_lambda"] = 500, ["svd_factors"] = 15, ["svd_power_iterations"] = 7 },
        };
        foreach (var weighting in Enum.GetValues<ItemKnnWeighting>())
        {
            string name = weighting.ToString().ToLowerInvariant();
            result[$"itemknn_{name}"] = ReproduceTasks.Evaluate(c, "baselines", $"item-kNN ({name}, 20 neighbours)", Deskdrop,
                () => new ItemKnnTrainer(new ItemKnnTrainer.Options { Weighting = weighting, NumberOfThreads = c.Threads }).Fit(ds.Train, ds.Users, ds.Items));
        }
        result["ease"] = ReproduceTasks.Evaluate(c, "baselines", "EASE (lambda 500)", Deskdrop,
            () => new EaseTrainer(new EaseTrainer.Options { NumberOfThreads = c.Threads }).Fit(ds.Train, ds.Users, ds.Items));
        result["svd"] = ReproduceTasks.EvaluateSeeds(c, "baselines", "PureSVD (15 factors)", Deskdrop, c.Seeds,
            seed => new PureSvdTrainer(new PureSvdTrainer.Options { NumberOfFactors = 15, Seed = seed, NumberOfThreads = c.Threads }).Fit(ds.Train, ds.Users, ds.Items));
        return result;
    }

    public static JsonObject CrossCheck(ReproduceContext c)
    {
        var best = c.BestOnDeskdrop ?? throw new InvalidOperationException("no model was evaluated on deskdrop");
        var ds = c.Benchmark(Deskdrop).Dataset;
        var check = MlNetRankingCrossCheck.Run(ds.Train, ds.Test, best.Scorer.ScoreItems, 10);
        c.Output.Human.MarkupLine($"      best on deskdrop: {Markup.Escape(best.Model)}: ours NDCG@10 {MetricsJson.F(check.Ours.Ndcg)}, " +
            $"ML.NET Ranking.Evaluate NDCG@10 {MetricsJson.F(check.MlNetNdcg)} (|diff| {check.NdcgDifference:E1}); P@10 {MetricsJson.F(check.Ours.Precision)}, R@10 {MetricsJson.F(check.Ours.Recall)}");
        return new JsonObject
        {
            ["model"] = best.Model,
            ["users"] = check.Groups,
            ["precision"] = check.Ours.Precision,
            ["recall"] = check.Ours.Recall,
            ["ndcg"] = check.Ours.Ndcg,
            ["mlnet_ndcg"] = check.MlNetNdcg,
            ["ndcg_abs_difference"] = check.NdcgDifference,
            ["notes"] = "Same ranked lists; ML.NET gets each user's top 10 (scores 10..1) plus the user's other test items (score 0), " +
                "LabelGains 0,1, DcgTruncationLevel 10. ML.NET uses a natural-log discount (cancels in NDCG), breaks ties pessimistically " +
                "(no ties here) and counts groups without relevant items as 0 (none here); it has no precision or recall.",
        };
    }
}
