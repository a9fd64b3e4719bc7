using DeskdropML.Catalog;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;
using Microsoft.ML;

namespace DeskdropML.Tests.Contract;

/// <summary>The shared trainer contract, run against WARP (single-threaded, seeded).</summary>
public sealed class WarpContractTests : RecommenderContractTests<WarpModelParameters>
{
    private static WarpTrainer.Options Options(int seed) => new()
    {
        NumberOfComponents = 8,
        NumberOfEpochs = 20,
        LearningRate = 0.05f,
        Seed = seed,
        NumberOfThreads = 1,
        LabelColumnName = "Label",
    };

    protected override WarpModelParameters FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed) =>
        new WarpTrainer(Options(seed)).Fit(interactions, users, items);

    protected override IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed) =>
        mlContext.Recommenders().Trainers.Warp(Options(seed));
}
