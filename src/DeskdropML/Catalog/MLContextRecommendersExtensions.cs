using DeskdropML.Catalog;
using DeskdropML.Recommending;
using Microsoft.ML;

namespace DeskdropML;

/// <summary>Extension methods that connect DeskdropML to an <see cref="MLContext"/>.</summary>
public static class MLContextRecommendersExtensions
{
    /// <summary>The DeskdropML recommenders catalog of this context (trainers live under <c>.Trainers</c>).</summary>
    public static RecommendersCatalog Recommenders(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new RecommendersCatalog(mlContext);
    }

    /// <summary>
    /// Registers this library's components (the <c>CustomMapping</c> factories such as
    /// <see cref="FactorizationScoreMappingFactory"/>) with the context's component catalog. Call it once per
    /// context before <c>mlContext.Model.Load</c> of a zip that contains a DeskdropML transformer — otherwise ML.NET
    /// cannot find the contract names and the load fails. <c>FactorizationModelZip.LoadMlNet</c> calls it for you.
    /// Calling it again is harmless.
    /// </summary>
    /// <returns>The same context, for chaining.</returns>
    public static MLContext RegisterDeskdropComponents(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(FactorizationScoreMappingFactory).Assembly);
        return mlContext;
    }
}
