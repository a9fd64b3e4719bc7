// The README's library example, compiled here and run by ReadmeExampleTests; the test also checks that the
// README shows exactly the lines between the README markers, so the documentation cannot rot.
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Features;
using DeskdropML.Persistence;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Readme;

internal static class ReadmeExample
{
    public static (RankingEvaluationResult Result, IReadOnlyList<string> Recommended, float[] MlNetScores) Run(string dataFolder, string zipPath)
    {
        // README:begin
        var mlContext = new MLContext(seed: 1);
        var benchmark = DeskdropBenchmark.Load(dataFolder, DeskdropBenchmarkKind.DeskdropText);
        var ds = benchmark.Dataset;                      // train/test CSR matrices, users x items

        // Item features: cleaned TF-IDF of title + text (per-language stop words and stemming).
        var articles = benchmark.Articles.Select(ArticleText.From).ToList();
        var featurizer = new ItemTextFeaturizer(mlContext, new ItemTextFeaturizer.Options { Preset = TextFeaturePreset.Clean })
            .Fit(articles);
        var text = featurizer.Featurize(articles, ds.Items);

        // Hybrid WARP as an ML.NET estimator over (UserId, ItemId, Label) rows.
        var trainRows = mlContext.Data.LoadFromEnumerable(InteractionRow.FromMatrix(ds.Train, ds.Users, ds.Items));
        var estimator = mlContext.Recommenders().Trainers.Warp(
            new WarpTrainer.Options { NumberOfEpochs = 20, LabelColumnName = "Label", Seed = 1 },
            itemFeatures: new SideFeatures(text.Items, text.Matrix), userCatalog: ds.Users);
        var model = estimator.Fit(trainRows);

        // Evaluate at k = 10 with the user's train items excluded; users without train rows get the fallback.
        var fitted = model.CreateRecommender();
        var result = RankingEvaluator.Evaluate(ds.Train, ds.Test, fitted);
        Console.WriteLine($"P@10 {result.Precision:F4}  R@10 {result.Recall:F4}  NDCG@10 {result.Ndcg:F4}");

        // Save with ML.NET: the zip is a standard ML.NET model that also carries the typed model for fast top-k.
        mlContext.Model.Save(model, trainRows.Schema, zipPath);

        // Later, in another process: top-k for a user (unknown users get the popularity fallback).
        var recommender = FactorizationModelZip.Load(zipPath).CreateRecommender();
        var top = recommender.Recommend(ds.Users[0], k: 5);
        foreach (var item in top.Items) Console.WriteLine($"{item.ItemId}  {item.Score:F3}");

        // Or score (user, item) rows with plain ML.NET.
        var mlnetModel = FactorizationModelZip.LoadMlNet(mlContext, zipPath, out _);
        var scored = mlnetModel.Transform(trainRows);
        var scores = scored.GetColumn<float>("Score").Take(3).ToArray();
        // README:end
        return (result, top.Items.Select(i => i.ItemId).ToList(), scores);
    }
}
