using DeskdropML.Persistence;
using DeskdropML.Recommending;
using Microsoft.ML;

namespace DeskdropML;

/// <summary>
/// Top-k from an ML.NET pipeline: <c>model.CreateRecommender()</c> on a fitted pipeline or on one loaded with
/// <c>mlContext.Model.Load</c> (after <c>RegisterDeskdropComponents</c>) from a zip written by
/// <c>mlContext.Model.Save</c>.
/// </summary>
public static class FactorizationModelExtensions
{
    /// <summary>
    /// The typed factorization model of a pipeline holding a DeskdropML scoring transformer, fitted or loaded (see
    /// <see cref="FactorizationModelZip.FromTransformer"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The pipeline holds no DeskdropML factorization model.</exception>
    public static StoredFactorizationModel GetFactorizationModel(this ITransformer model) => FactorizationModelZip.FromTransformer(model);

    /// <summary>A top-k recommender over the pipeline's model, its training interactions and its fallback scores.</summary>
    /// <exception cref="ArgumentException">The pipeline holds no DeskdropML factorization model.</exception>
    public static Recommender CreateRecommender(this ITransformer model) => model.GetFactorizationModel().CreateRecommender();
}
