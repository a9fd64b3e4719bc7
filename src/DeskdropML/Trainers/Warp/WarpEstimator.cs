using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// The ML.NET estimator of the hybrid WARP model: reads (user id, item id, optional weight) rows, fits
/// <see cref="WarpTrainer"/> and returns a <see cref="FactorizationScoringTransformer"/> whose <c>Score</c> is
/// <c>p_u · q_i + b_u + b_i</c>. Obtain it from <c>mlContext.Recommenders().Trainers.Warp(...)</c>.
/// </summary>
/// <remarks>
/// With item (user) side features, their ids are the item (user) catalogue: items without interactions are scored
/// from their features, and an interaction on an id outside the catalogue is an error. Without features, a user or
/// item catalogue fixes the id map the same way (users without rows are cold and ranked by the fallback; items
/// without rows keep their initial embedding and are ranked by it). Options are validated here, in the
/// constructor, not at fit time.
/// </remarks>
public sealed class WarpEstimator : FactorizationEstimatorBase<WarpModelParameters>
{
    private readonly WarpTrainer _trainer;
    private readonly SideFeatures? _userFeatures;
    private readonly SideFeatures? _itemFeatures;

    /// <summary>Creates the estimator.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="options">Trainer options (validated now; column names are taken from them).</param>
    /// <param name="userFeatures">Optional user side features (their ids become the user catalogue).</param>
    /// <param name="itemFeatures">Optional item side features (their ids become the item catalogue).</param>
    /// <param name="userCatalog">Optional fixed user map when there are no user features (e.g. a dataset's users, so
    /// that users without training rows keep their index); they are then cold and scored by the fallback.</param>
    /// <param name="itemCatalog">Optional fixed item map when there are no item features.</param>
    /// <exception cref="ArgumentException">Both features and a catalogue are given for users, or for items.</exception>
    public WarpEstimator(MLContext mlContext, WarpTrainer.Options? options = null, SideFeatures? userFeatures = null, SideFeatures? itemFeatures = null,
        IdMap? userCatalog = null, IdMap? itemCatalog = null)
        : base(mlContext,
            (options ??= new WarpTrainer.Options()).UserIdColumnName,
            options.ItemIdColumnName,
            options.LabelColumnName,
            userFeatures?.Ids ?? userCatalog,
            itemFeatures?.Ids ?? itemCatalog)
    {
        if (userFeatures is not null && userCatalog is not null)
            throw new ArgumentException("Give either user features (their ids are the user catalogue) or a user catalogue, not both.", nameof(userCatalog));
        if (itemFeatures is not null && itemCatalog is not null)
            throw new ArgumentException("Give either item features (their ids are the item catalogue) or an item catalogue, not both.", nameof(itemCatalog));
        _trainer = new WarpTrainer(options);
        Options = options;
        _userFeatures = userFeatures;
        _itemFeatures = itemFeatures;
    }

    /// <summary>The trainer options.</summary>
    public WarpTrainer.Options Options { get; }

    /// <inheritdoc />
    protected override string ModelKind => "warp";

    /// <inheritdoc />
    protected override WarpModelParameters FitCore(CsrMatrix interactions, IdMap users, IdMap items) =>
        _trainer.Fit(interactions, users, items, _userFeatures?.Matrix, _itemFeatures?.Matrix);
}
