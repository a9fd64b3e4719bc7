using DeskdropML.Catalog;

namespace DeskdropML.Trainers.Als;

/// <summary><c>mlContext.Recommenders().Trainers.Als(...)</c>.</summary>
public static class AlsCatalogExtensions
{
    /// <summary>Alternating least squares for implicit feedback (Hu, Koren, Volinsky 2008) with the most used settings.</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="labelColumnName">Float strength column r; <c>null</c> gives every row r = 1.</param>
    /// <param name="numberOfFactors">Factors. Default 64.</param>
    /// <param name="regularization">L2 regularization λ. Default 0.01.</param>
    /// <param name="alpha">Confidence scale α (c = 1 + α r). Default 1.</param>
    /// <param name="numberOfIterations">Alternations. Default 15.</param>
    /// <param name="seed">Seed of the factor initialisation. Default 42.</param>
    public static AlsEstimator Als(this RecommendationTrainers trainers,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string? labelColumnName = null,
        int numberOfFactors = 64, float regularization = 0.01f, float alpha = 1f, int numberOfIterations = 15, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new AlsEstimator(trainers.Context, new AlsTrainer.Options
        {
            UserIdColumnName = userIdColumnName,
            ItemIdColumnName = itemIdColumnName,
            LabelColumnName = labelColumnName,
            NumberOfFactors = numberOfFactors,
            Regularization = regularization,
            Alpha = alpha,
            NumberOfIterations = numberOfIterations,
            Seed = seed,
        });
    }

    /// <summary>Alternating least squares with every option (solver, confidence form, explicit feedback, weighting).</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="options">All trainer options.</param>
    public static AlsEstimator Als(this RecommendationTrainers trainers, AlsTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(options);
        return new AlsEstimator(trainers.Context, options);
    }
}
