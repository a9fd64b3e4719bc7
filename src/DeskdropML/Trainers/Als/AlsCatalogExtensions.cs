using DeskdropML.Catalog;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML;

/// <summary><c>mlContext.Recommenders().Trainers.Als(...)</c>.</summary>
public static class AlsCatalogExtensions
{
    /// <summary>Alternating least squares for implicit feedback (Hu, Koren, Volinsky 2008) with the most used settings.</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="userIdColumnName">User id column: text, integer or key (e.g. from <c>MapValueToKey</c>).</param>
    /// <param name="itemIdColumnName">Item id column: text, integer or key.</param>
    /// <param name="labelColumnName">Strength column r. Default <c>"Label"</c>, used when the input has it (else r = 1);
    /// <c>null</c> gives every row r = 1.</param>
    /// <param name="numberOfFactors">Factors. Default 64.</param>
    /// <param name="regularization">L2 regularization λ. Default 0.01.</param>
    /// <param name="alpha">Confidence scale α (c = 1 + α r). Default 1.</param>
    /// <param name="numberOfIterations">Alternations. Default 15.</param>
    /// <param name="seed">Seed of the factor initialisation. Default 42.</param>
    /// <param name="matrixColumnIndexColumnName">Alias of <paramref name="userIdColumnName"/> under
    /// <c>MatrixFactorization</c>'s argument name.</param>
    /// <param name="matrixRowIndexColumnName">Alias of <paramref name="itemIdColumnName"/> under
    /// <c>MatrixFactorization</c>'s argument name.</param>
    /// <exception cref="ArgumentException">A column and its alias name different columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names it).</exception>
    public static AlsEstimator Als(this RecommendationTrainers trainers,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string? labelColumnName = Recommending.InteractionColumnOptions.DefaultLabelColumnName,
        int numberOfFactors = 64, float regularization = 0.01f, float alpha = 1f, int numberOfIterations = 15, int seed = 42,
        string? matrixColumnIndexColumnName = null, string? matrixRowIndexColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        var options = new AlsTrainer.Options
        {
            NumberOfFactors = numberOfFactors,
            Regularization = regularization,
            Alpha = alpha,
            NumberOfIterations = numberOfIterations,
            Seed = seed,
        };
        options.SetColumns(userIdColumnName, itemIdColumnName, labelColumnName, matrixColumnIndexColumnName, matrixRowIndexColumnName);
        return new AlsEstimator(trainers.Context, options);
    }

    /// <summary>Alternating least squares with every option (solver, confidence form, explicit feedback, weighting).</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="options">All trainer options, including the input columns.</param>
    /// <param name="userCatalog">Optional fixed user map: ids in the data must belong to it; users without rows are cold.</param>
    /// <param name="itemCatalog">Optional fixed item map: ids in the data must belong to it; items without rows score 0.</param>
    public static AlsEstimator Als(this RecommendationTrainers trainers, AlsTrainer.Options options, IdMap? userCatalog = null, IdMap? itemCatalog = null)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(options);
        return new AlsEstimator(trainers.Context, options, userCatalog, itemCatalog);
    }
}
