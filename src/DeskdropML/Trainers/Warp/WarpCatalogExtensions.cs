using DeskdropML.Catalog;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;

namespace DeskdropML;

/// <summary><c>mlContext.Recommenders().Trainers.Warp(...)</c>.</summary>
public static class WarpCatalogExtensions
{
    /// <summary>
    /// The hybrid WARP factorization trainer (LightFM's model) with the most used settings.
    /// </summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="userIdColumnName">User id column: text, integer or key (e.g. from <c>MapValueToKey</c>).</param>
    /// <param name="itemIdColumnName">Item id column: text, integer or key.</param>
    /// <param name="labelColumnName">Sample-weight column. Default <c>"Label"</c>, used when the input has it (else
    /// weight 1); <c>null</c> weighs every row 1.</param>
    /// <param name="numberOfComponents">Latent dimension. Default 10.</param>
    /// <param name="numberOfEpochs">Passes over the interactions. Default 30.</param>
    /// <param name="learningRate">Adagrad learning rate. Default 0.05.</param>
    /// <param name="loss">Loss. Default WARP.</param>
    /// <param name="itemFeatures">Optional item side features (e.g. text TF-IDF); their ids become the item catalogue.</param>
    /// <param name="seed">Random seed (single-threaded fits are reproducible). Default 42.</param>
    /// <param name="matrixColumnIndexColumnName">Alias of <paramref name="userIdColumnName"/> under
    /// <c>MatrixFactorization</c>'s argument name.</param>
    /// <param name="matrixRowIndexColumnName">Alias of <paramref name="itemIdColumnName"/> under
    /// <c>MatrixFactorization</c>'s argument name.</param>
    /// <exception cref="ArgumentException">A column and its alias name different columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names it).</exception>
    public static WarpEstimator Warp(this RecommendationTrainers trainers,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string? labelColumnName = Recommending.InteractionColumnOptions.DefaultLabelColumnName,
        int numberOfComponents = 10, int numberOfEpochs = 30, float learningRate = 0.05f, WarpLoss loss = WarpLoss.Warp,
        SideFeatures? itemFeatures = null, int seed = 42,
        string? matrixColumnIndexColumnName = null, string? matrixRowIndexColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        var options = new WarpTrainer.Options
        {
            NumberOfComponents = numberOfComponents,
            NumberOfEpochs = numberOfEpochs,
            LearningRate = learningRate,
            Loss = loss,
            Seed = seed,
        };
        options.SetColumns(userIdColumnName, itemIdColumnName, labelColumnName, matrixColumnIndexColumnName, matrixRowIndexColumnName);
        return new WarpEstimator(trainers.Context, options, itemFeatures: itemFeatures);
    }

    /// <summary>The hybrid WARP factorization trainer with every option.</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="options">All trainer options, including the input columns.</param>
    /// <param name="userFeatures">Optional user side features (their ids become the user catalogue).</param>
    /// <param name="itemFeatures">Optional item side features (their ids become the item catalogue).</param>
    /// <param name="userCatalog">Optional fixed user map (without user features).</param>
    /// <param name="itemCatalog">Optional fixed item map (without item features).</param>
    public static WarpEstimator Warp(this RecommendationTrainers trainers, WarpTrainer.Options options, SideFeatures? userFeatures = null, SideFeatures? itemFeatures = null,
        IdMap? userCatalog = null, IdMap? itemCatalog = null)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(options);
        return new WarpEstimator(trainers.Context, options, userFeatures, itemFeatures, userCatalog, itemCatalog);
    }
}
