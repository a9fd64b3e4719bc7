using DeskdropML.Catalog;
using DeskdropML.Trainers.Neighbors;

namespace DeskdropML;

/// <summary><c>mlContext.Recommenders().Trainers.ItemKnn(...)</c>.</summary>
public static class ItemKnnCatalogExtensions
{
    /// <summary>Item-based nearest neighbours (cosine, TF-IDF or BM25 similarity, K neighbours per item).</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="labelColumnName">Float strength column; <c>null</c> gives every row strength 1.</param>
    /// <param name="numberOfNeighbors">Neighbours K kept per item. Default 20.</param>
    /// <param name="weighting">Similarity weighting. Default <see cref="ItemKnnWeighting.Cosine"/>.</param>
    public static ItemKnnEstimator ItemKnn(this RecommendationTrainers trainers,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string? labelColumnName = null,
        int numberOfNeighbors = 20, ItemKnnWeighting weighting = ItemKnnWeighting.Cosine)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new ItemKnnEstimator(trainers.Context, new ItemKnnTrainer.Options
        {
            UserIdColumnName = userIdColumnName,
            ItemIdColumnName = itemIdColumnName,
            LabelColumnName = labelColumnName,
            NumberOfNeighbors = numberOfNeighbors,
            Weighting = weighting,
        });
    }

    /// <summary>Item-based nearest neighbours with every option (BM25 K1 and B, threads).</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="options">All trainer options.</param>
    public static ItemKnnEstimator ItemKnn(this RecommendationTrainers trainers, ItemKnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(options);
        return new ItemKnnEstimator(trainers.Context, options);
    }
}
