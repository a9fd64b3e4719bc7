using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Trainers.Svd;

/// <summary>
/// The ML.NET estimator of PureSVD: reads (user id, item id, optional strength) rows, fits <see cref="PureSvdTrainer"/>
/// and returns a <see cref="FactorizationScoringTransformer"/> whose <c>Score</c> is <c>(U_k Σ_k V_kᵀ)_ui</c>. Obtain it
/// from <c>mlContext.Recommenders().Trainers.PureSvd(...)</c>.
/// </summary>
/// <remarks>Options are validated in the constructor.</remarks>
public sealed class PureSvdEstimator : FactorizationEstimatorBase<PureSvdModel>
{
    private readonly PureSvdTrainer _trainer;

    /// <summary>Creates the estimator.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="options">Trainer options (validated now; column names are taken from them).</param>
    /// <param name="itemCatalog">Optional fixed item id map (items without rows get zero factors and score 0).</param>
    public PureSvdEstimator(MLContext mlContext, PureSvdTrainer.Options? options = null, IdMap? itemCatalog = null)
        : base(mlContext,
            (options ??= new PureSvdTrainer.Options()).UserIdColumnName,
            options.ItemIdColumnName,
            options.LabelColumnName,
            null,
            itemCatalog)
    {
        _trainer = new PureSvdTrainer(options);
        Options = options;
    }

    /// <summary>The trainer options.</summary>
    public PureSvdTrainer.Options Options { get; }

    /// <inheritdoc />
    protected override string ModelKind => "svd";

    /// <inheritdoc />
    protected override PureSvdModel FitCore(CsrMatrix interactions, IdMap users, IdMap items) =>
        _trainer.Fit(interactions, users, items);
}
