using DeskdropML.Catalog;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Ease;
using DeskdropML.Trainers.Neighbors;
using DeskdropML.Trainers.Svd;
using Microsoft.ML;

namespace DeskdropML.Tests.Contract;

/// <summary>The shared trainer contract, run against item-kNN with each weighting (deterministic: the seed is unused).</summary>
public abstract class ItemKnnContractTests(ItemKnnWeighting weighting) : RecommenderContractTests<ItemKnnModel>
{
    private ItemKnnTrainer.Options Options() => new() { Weighting = weighting, NumberOfThreads = 2, LabelColumnName = "Label" };

    protected override ItemKnnModel FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed) =>
        new ItemKnnTrainer(Options()).Fit(interactions, users, items);

    protected override IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed) =>
        mlContext.Recommenders().Trainers.ItemKnn(Options());
}

public sealed class ItemKnnCosineContractTests() : ItemKnnContractTests(ItemKnnWeighting.Cosine);

public sealed class ItemKnnTfIdfContractTests() : ItemKnnContractTests(ItemKnnWeighting.TfIdf);

public sealed class ItemKnnBm25ContractTests() : ItemKnnContractTests(ItemKnnWeighting.Bm25);

/// <summary>The shared trainer contract, run against EASE (deterministic: the seed is unused).</summary>
public sealed class EaseContractTests : RecommenderContractTests<EaseModel>
{
    private static EaseTrainer.Options Options() => new() { L2 = 5f, NumberOfThreads = 2, LabelColumnName = "Label" };

    protected override EaseModel FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed) =>
        new EaseTrainer(Options()).Fit(interactions, users, items);

    protected override IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed) =>
        mlContext.Recommenders().Trainers.Ease(Options());
}

/// <summary>The shared trainer contract, run against PureSVD.</summary>
public sealed class PureSvdContractTests : RecommenderContractTests<PureSvdModel>
{
    private static PureSvdTrainer.Options Options(int seed) => new() { NumberOfFactors = 6, Seed = seed, NumberOfThreads = 2, LabelColumnName = "Label" };

    protected override PureSvdModel FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed) =>
        new PureSvdTrainer(Options(seed)).Fit(interactions, users, items);

    protected override IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed) =>
        mlContext.Recommenders().Trainers.PureSvd(Options(seed));
}
