using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Trainers.Ease;

/// <summary>
/// The ML.NET estimator of EASE: reads (user id, item id, optional strength) rows, fits <see cref="EaseTrainer"/> and
/// returns a <see cref="FactorizationScoringTransformer"/> whose <c>Score</c> is <c>Σ_j x_uj B_ji</c> over the user's
/// training items j. Obtain it from <c>mlContext.Recommenders().Trainers.Ease(...)</c>.
/// </summary>
/// <remarks>Options are validated in the constructor. Fitting refuses (before any work) a catalogue above
/// <see cref="EaseTrainer.Options.MaxItems"/> or one whose dense packed view (<see cref="ItemItemModel"/>) would exceed
/// <see cref="ItemItemModel.MaxPackedViewFloats"/>.</remarks>
public sealed class EaseEstimator : FactorizationEstimatorBase<EaseModel>
{
    private readonly EaseTrainer _trainer;

    /// <summary>Creates the estimator.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="options">Trainer options (validated now; column names are taken from them).</param>
    /// <param name="itemCatalog">Optional fixed item id map (items without rows get zero weights and score 0).</param>
    public EaseEstimator(MLContext mlContext, EaseTrainer.Options? options = null, IdMap? itemCatalog = null)
        : base(mlContext,
            (options ??= new EaseTrainer.Options()).UserIdColumnName,
            options.ItemIdColumnName,
            options.LabelColumnName,
            null,
            itemCatalog)
    {
        _trainer = new EaseTrainer(options);
        Options = options;
    }

    /// <summary>The trainer options.</summary>
    public EaseTrainer.Options Options { get; }

    /// <inheritdoc />
    protected override string ModelKind => "ease";

    /// <inheritdoc />
    protected override EaseModel FitCore(CsrMatrix interactions, IdMap users, IdMap items)
    {
        EaseTrainer.EnsureCatalogFits(items.Count, Options.MaxItems);
        ItemItemModel.EnsurePackedViewFits(users.Count, items.Count, "EASE");
        return _trainer.Fit(interactions, users, items);
    }
}
