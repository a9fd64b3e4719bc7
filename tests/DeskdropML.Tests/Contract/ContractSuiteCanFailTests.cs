using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;
using Xunit.Sdk;

namespace DeskdropML.Tests.Contract;

/// <summary>Shows that the contract suite rejects broken trainers (so its passing means something).</summary>
public sealed class ContractSuiteCanFailTests
{
    /// <summary>A "trainer" that ignores the data: random factors.</summary>
    private sealed class IgnoresDataContract : RecommenderContractTests<TestFactorizationModel>
    {
        protected override TestFactorizationModel FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed) =>
            TestFactorizationModel.Random(users, items, 4, seed);

        protected override IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed) =>
            new TestLeastSquaresEstimator(mlContext, seed, labelColumnName: "Label");
    }

    /// <summary>A trainer that does not honour its seed.</summary>
    private sealed class IgnoresSeedContract : RecommenderContractTests<TestFactorizationModel>
    {
        private int _calls;

        protected override TestFactorizationModel FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed) =>
            TestLeastSquaresTrainer.Fit(interactions, users, items, seed + _calls++);

        protected override IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed) =>
            new TestLeastSquaresEstimator(mlContext, seed, labelColumnName: "Label");
    }

    [Fact]
    public void ModelIgnoringTheDataFailsTheQualityContract() =>
        Assert.ThrowsAny<XunitException>(() => new IgnoresDataContract().Contract_BeatsPopularityOnHeldOutPlantedItems());

    [Fact]
    public void ModelIgnoringTheSeedFailsTheDeterminismContract() =>
        Assert.ThrowsAny<XunitException>(() => new IgnoresSeedContract().Contract_SameSeedGivesBitIdenticalModel());
}
