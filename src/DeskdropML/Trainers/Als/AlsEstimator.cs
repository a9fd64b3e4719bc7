using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// The ML.NET estimator of alternating least squares: reads (user id, item id, optional strength) rows, fits
/// <see cref="AlsTrainer"/> and returns a <see cref="FactorizationScoringTransformer"/> whose <c>Score</c> is
/// <c>x_u · y_i</c>. Obtain it from <c>mlContext.Recommenders().Trainers.Als(...)</c>.
/// </summary>
/// <remarks>Options are validated in the constructor. Optional user and item catalogues fix the id maps: ids in the
/// data must belong to them; items without training rows get zero factors and score 0, users without training rows
/// are cold and ranked by the popularity fallback.</remarks>
public sealed class AlsEstimator : FactorizationEstimatorBase<AlsModelParameters>
{
    private readonly AlsTrainer _trainer;

    /// <summary>Creates the estimator.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="options">Trainer options (validated now; column names are taken from them).</param>
    /// <param name="userCatalog">Optional fixed user id map (e.g. a dataset's users, so that evaluation matrices
    /// built on it line up with the model).</param>
    /// <param name="itemCatalog">Optional fixed item id map.</param>
    public AlsEstimator(MLContext mlContext, AlsTrainer.Options? options = null, IdMap? userCatalog = null, IdMap? itemCatalog = null)
        : base(mlContext,
            (options ??= new AlsTrainer.Options()).UserIdColumnName,
            options.ItemIdColumnName,
            options.LabelColumnName,
            userCatalog,
            itemCatalog)
    {
        _trainer = new AlsTrainer(options);
        Options = options;
    }

    /// <summary>The trainer options.</summary>
    public AlsTrainer.Options Options { get; }

    /// <inheritdoc />
    protected override string ModelKind => "als";

    /// <inheritdoc />
    protected override AlsModelParameters FitCore(CsrMatrix interactions, IdMap users, IdMap items) =>
        _trainer.Fit(interactions, users, items);
}
