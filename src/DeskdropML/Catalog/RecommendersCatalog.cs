using Microsoft.ML;

namespace DeskdropML.Catalog;

/// <summary>
/// Entry point of the DeskdropML recommenders on an <see cref="MLContext"/>: <c>mlContext.Recommenders()</c>.
/// </summary>
public sealed class RecommendersCatalog
{
    internal RecommendersCatalog(MLContext mlContext)
    {
        Context = mlContext;
        Trainers = new RecommendationTrainers(mlContext);
    }

    /// <summary>The ML.NET context the catalog belongs to.</summary>
    public MLContext Context { get; }

    /// <summary>
    /// The recommendation trainers. Trainers are extension methods on <see cref="RecommendationTrainers"/>
    /// (for example <c>mlContext.Recommenders().Trainers.Warp(...)</c>); each returns an estimator that can be
    /// appended after ML.NET transforms with <c>.Append(...)</c>.
    /// </summary>
    public RecommendationTrainers Trainers { get; }
}

/// <summary>
/// Holder of the recommendation trainers of an <see cref="MLContext"/>; trainers add extension methods on it.
/// </summary>
public sealed class RecommendationTrainers
{
    internal RecommendationTrainers(MLContext mlContext) => Context = mlContext;

    /// <summary>The ML.NET context passed to the trainers.</summary>
    public MLContext Context { get; }
}
