using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Recommending;

/// <summary>
/// A ready-made ML.NET estimator around any factorization trainer's core fit function, so a trainer plugs into
/// ML.NET with one line, e.g.
/// <c>new FactorizationEstimator&lt;WarpModelParameters&gt;(mlContext, "warp", (m, u, i) =&gt; trainer.Fit(m, u, i), options.UserIdColumnName, options.ItemIdColumnName, options.LabelColumnName)</c>.
/// Reading, validation, output schema and wrapping are those of <see cref="FactorizationEstimatorBase{TModel}"/>.
/// </summary>
/// <typeparam name="TModel">The trainer's model type.</typeparam>
public sealed class FactorizationEstimator<TModel> : FactorizationEstimatorBase<TModel>
    where TModel : class, IFactorizationModel
{
    private readonly Func<CsrMatrix, IdMap, IdMap, TModel> _fit;
    private readonly string _modelKind;

    /// <summary>Creates the estimator.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="modelKind">Short trainer name stored in model zips (e.g. "warp", "als").</param>
    /// <param name="fit">Trains a model on (user x item matrix, user ids, item ids).</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="labelColumnName">Optional weight column (<c>null</c>: weight 1 per row).</param>
    /// <param name="userCatalog">Optional fixed user id map.</param>
    /// <param name="itemCatalog">Optional fixed item id map (e.g. aligned with item feature rows).</param>
    public FactorizationEstimator(MLContext mlContext, string modelKind, Func<CsrMatrix, IdMap, IdMap, TModel> fit,
        string userIdColumnName = FactorizationScoringTransformer.DefaultUserIdColumnName,
        string itemIdColumnName = FactorizationScoringTransformer.DefaultItemIdColumnName,
        string? labelColumnName = null, IdMap? userCatalog = null, IdMap? itemCatalog = null)
        : base(mlContext, userIdColumnName, itemIdColumnName, labelColumnName, userCatalog, itemCatalog)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelKind);
        _fit = fit ?? throw new ArgumentNullException(nameof(fit));
        _modelKind = modelKind;
    }

    /// <inheritdoc />
    protected override string ModelKind => _modelKind;

    /// <inheritdoc />
    protected override TModel FitCore(CsrMatrix interactions, IdMap users, IdMap items) => _fit(interactions, users, items);
}
