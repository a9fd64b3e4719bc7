using DeskdropML.Catalog;
using DeskdropML.Trainers.Svd;

namespace DeskdropML;

/// <summary><c>mlContext.Recommenders().Trainers.PureSvd(...)</c>.</summary>
public static class PureSvdCatalogExtensions
{
    /// <summary>PureSVD: a rank-k truncated SVD of the users x items matrix (randomized, seeded).</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="labelColumnName">Float strength column; <c>null</c> gives every row strength 1.</param>
    /// <param name="numberOfFactors">Factors k. Default 15.</param>
    /// <param name="seed">Seed of the random range finder. Default 42.</param>
    public static PureSvdEstimator PureSvd(this RecommendationTrainers trainers,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string? labelColumnName = null,
        int numberOfFactors = 15, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new PureSvdEstimator(trainers.Context, new PureSvdTrainer.Options
        {
            UserIdColumnName = userIdColumnName,
            ItemIdColumnName = itemIdColumnName,
            LabelColumnName = labelColumnName,
            NumberOfFactors = numberOfFactors,
            Seed = seed,
        });
    }

    /// <summary>PureSVD with every option (oversampling, power iterations, threads).</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="options">All trainer options.</param>
    public static PureSvdEstimator PureSvd(this RecommendationTrainers trainers, PureSvdTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(options);
        return new PureSvdEstimator(trainers.Context, options);
    }
}
