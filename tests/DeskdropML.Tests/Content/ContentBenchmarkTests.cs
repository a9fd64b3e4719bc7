using System.Diagnostics;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Features;
using DeskdropML.Trainers.Content;
using DeskdropML.Trainers.Popularity;
using Microsoft.ML;
using Xunit.Abstractions;

namespace DeskdropML.Tests.Content;

/// <summary>
/// The content recommender on the <c>deskdrop-text</c> benchmark (k = 10, train items excluded), users without a
/// text profile ranked by popularity. Reports the metrics (notebook protocol, leaky candidates); asserts on the leak-free weekly backtest that the 95% interval clears the random expectation.
/// </summary>
public class ContentBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public void Content_model_on_deskdrop_text()
    {
        var benchmark = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.DeskdropText);
        var data = benchmark.Dataset;
        var articles = benchmark.Articles.Select(ArticleText.From).ToList();
        var popularity = PopularityModel.Fit(data.Train, data.Users, data.Items);
        var (_, folds) = Evaluation.BacktestAssert.WeeklyFolds(DeskdropBenchmarkKind.DeskdropText, DeskdropML.Evaluation.Protocols.CandidatePolicy.Available);
        var popularityResult = RankingEvaluator.Evaluate(data.Train, data.Test, popularity);
        output.WriteLine($"deskdrop-text: {data.Users.Count} users x {data.Items.Count} items, {articles.Count} articles; " +
            $"popularity NDCG@10 {popularityResult.Ndcg:F5} P@10 {popularityResult.Precision:F5} ({popularityResult.UsersEvaluated} users)");

        foreach (var (preset, sublinear) in new[] { (TextFeaturePreset.Raw, false), (TextFeaturePreset.Raw, true), (TextFeaturePreset.Clean, false), (TextFeaturePreset.Clean, true) })
        {
            var watch = Stopwatch.StartNew();
            var featurizer = new ItemTextFeaturizer(new MLContext(seed: 1), new ItemTextFeaturizer.Options { Preset = preset, SublinearTf = sublinear }).Fit(articles);
            var features = featurizer.Featurize(articles, data.Items);
            double featurizeSeconds = watch.Elapsed.TotalSeconds;
            ContentModel model = null!;
            var fitTimes = new List<double>();
            foreach (int threads in new[] { 1, 1, 1, 2, 2, 2 })
            {
                watch.Restart();
                model = new ContentTrainer(new ContentTrainer.Options { NumberOfThreads = threads }).Fit(data.Train, data.Users, data.Items, features.Matrix);
                fitTimes.Add(watch.Elapsed.TotalSeconds);
            }
            var scoreTimes = new List<double>();
            var buffer = new float[data.Items.Count];
            for (int run = 0; run < 3; run++)
            {
                watch.Restart();
                for (int u = 0; u < data.Users.Count; u++) model.ScoreItems(u, buffer);
                scoreTimes.Add(watch.Elapsed.TotalSeconds);
            }
            var popular = popularity.ItemScores.ToArray();
            int withoutProfile = 0;
            for (int u = 0; u < data.Users.Count; u++) if (!model.HasTrainingInteractions(u)) withoutProfile++;
            watch.Restart();
            var result = RankingEvaluator.Evaluate(data.Train, data.Test, (u, scores) =>
            {
                if (model.HasTrainingInteractions(u)) model.ScoreItems(u, scores);
                else popular.CopyTo(scores);
            });
            double evaluateSeconds = watch.Elapsed.TotalSeconds;
            output.WriteLine($"content {preset} sublinear={sublinear}: NDCG@10 {result.Ndcg:F5} P@10 {result.Precision:F5} R@10 {result.Recall:F5} " +
                $"MAP@10 {result.Map:F5} users {result.UsersEvaluated} (no profile: {withoutProfile}); items with text {features.MatchedArticles}/{data.Items.Count}; " +
                $"featurize {featurizeSeconds:F3} s, fit s (1 thread x3, 2 threads x3) {string.Join(" / ", fitTimes.Select(t => t.ToString("F4")))}, " +
                $"score all users s {string.Join(" / ", scoreTimes.Select(t => t.ToString("F4")))}, evaluate {evaluateSeconds:F3} s");
            // The bar is set on the leak-free weekly backtest (available candidates: shared articles are rankable from text).
            var backtestFeatures = featurizer.Featurize(articles, folds[0].Dataset.Items).Matrix;
            var backtest = Evaluation.BacktestAssert.CiAboveRandom(folds, f =>
                new ContentTrainer(new ContentTrainer.Options { NumberOfThreads = 1 }).Fit(f.Dataset.Train, f.Dataset.Users, f.Dataset.Items, backtestFeatures), $"content {preset}");
            output.WriteLine($"  weekly backtest (available): NDCG@10 {backtest.Means.Ndcg:F4}, random {backtest.Random.Ndcg:F4}, {backtest.Units} units");
        }
    }
}
