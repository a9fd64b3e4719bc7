using DeskdropML.Catalog;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;
using Microsoft.ML;

namespace DeskdropML.Tests.Contract;

/// <summary>The shared trainer contract, run against implicit ALS.</summary>
public sealed class AlsContractTests : RecommenderContractTests<AlsModelParameters>
{
    private static AlsTrainer.Options Options(int seed) => new()
    {
        NumberOfFactors = 8,
        NumberOfIterations = 10,
        Regularization = 0.1f,
        Alpha = 10f,
        Seed = seed,
        LabelColumnName = "Label",
    };

    protected override AlsModelParameters FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed) =>
        new AlsTrainer(Options(seed)).Fit(interactions, users, items);

    protected override IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed) =>
        mlContext.Recommenders().Trainers.Als(Options(seed));
}
