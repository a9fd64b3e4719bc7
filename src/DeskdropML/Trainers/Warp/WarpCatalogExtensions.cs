using DeskdropML.Catalog;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Warp;

/// <summary><c>mlContext.Recommenders().Trainers.Warp(...)</c>.</summary>
public static class WarpCatalogExtensions
{
    /// <summary>
    /// The hybrid WARP factorization trainer (LightFM's model) with the most used settings.
    /// </summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="labelColumnName">Float column with sample weights; <c>null</c> weighs every row 1.</param>
    /// <param name="numberOfComponents">Latent dimension. Default 10.</param>
    /// <param name="numberOfEpochs">Passes over the interactions. Default 30.</param>
    /// <param name="learningRate">Adagrad learning rate. Default 0.05.</param>
    /// <param name="loss">Loss. Default WARP.</param>
    /// <param name="itemFeatures">Optional item side features (e.g. text TF-IDF); their ids become the item catalogue.</param>
    /// <param name="seed">Random seed (single-threaded fits are reproducible). Default 42.</param>
    public static WarpEstimator Warp(this RecommendationTrainers trainers,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string? labelColumnName = null,
        int numberOfComponents = 10, int numberOfEpochs = 30, float learningRate = 0.05f, WarpLoss loss = WarpLoss.Warp,
        SideFeatures? itemFeatures = null, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new WarpEstimator(trainers.Context, new WarpTrainer.Options
        {
            UserIdColumnName = userIdColumnName,
            ItemIdColumnName = itemIdColumnName,
            LabelColumnName = labelColumnName,
            NumberOfComponents = numberOfComponents,
            NumberOfEpochs = numberOfEpochs,
            LearningRate = learningRate,
            Loss = loss,
            Seed = seed,
        }, itemFeatures: itemFeatures);
    }

    /// <summary>The hybrid WARP factorization trainer with every option.</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="options">All trainer options.</param>
    /// <param name="userFeatures">Optional user side features.</param>
    /// <param name="itemFeatures">Optional item side features.</param>
    /// <param name="userCatalog">Optional fixed user map (without user features).</param>
    public static WarpEstimator Warp(this RecommendationTrainers trainers, WarpTrainer.Options options, SideFeatures? userFeatures = null, SideFeatures? itemFeatures = null,
        IdMap? userCatalog = null)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(options);
        return new WarpEstimator(trainers.Context, options, userFeatures, itemFeatures, userCatalog);
    }
}
