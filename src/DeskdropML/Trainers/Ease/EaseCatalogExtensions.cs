using DeskdropML.Catalog;
using DeskdropML.Trainers.Ease;

namespace DeskdropML;

/// <summary><c>mlContext.Recommenders().Trainers.Ease(...)</c>.</summary>
public static class EaseCatalogExtensions
{
    /// <summary>EASE (Steck 2019): closed-form item-item weights with a zero diagonal, dense in the number of items.</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="labelColumnName">Float strength column; <c>null</c> gives every row strength 1 (binary X).</param>
    /// <param name="l2">L2 regularization λ. Default 500.</param>
    public static EaseEstimator Ease(this RecommendationTrainers trainers,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string? labelColumnName = null, float l2 = 500f)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new EaseEstimator(trainers.Context, new EaseTrainer.Options
        {
            UserIdColumnName = userIdColumnName,
            ItemIdColumnName = itemIdColumnName,
            LabelColumnName = labelColumnName,
            L2 = l2,
        });
    }

    /// <summary>EASE with every option (item limit, threads).</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="options">All trainer options.</param>
    public static EaseEstimator Ease(this RecommendationTrainers trainers, EaseTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(options);
        return new EaseEstimator(trainers.Context, options);
    }
}
