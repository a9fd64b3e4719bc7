using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Trainers.Neighbors;

/// <summary>
/// The ML.NET estimator of item-kNN: reads (user id, item id, optional strength) rows, fits <see cref="ItemKnnTrainer"/>
/// and returns a <see cref="FactorizationScoringTransformer"/> whose <c>Score</c> is <c>Σ_j h_uj S_ji</c> over the
/// user's training items j. Obtain it from <c>mlContext.Recommenders().Trainers.ItemKnn(...)</c>.
/// </summary>
/// <remarks>Options are validated in the constructor. The transformer holds the dense packed view of
/// <see cref="ItemItemModel"/>; fitting refuses (before any work) when that view would exceed
/// <see cref="ItemItemModel.MaxPackedViewFloats"/> — use <see cref="ItemKnnTrainer"/> directly for such catalogues.</remarks>
public sealed class ItemKnnEstimator : FactorizationEstimatorBase<ItemKnnModel>
{
    private readonly ItemKnnTrainer _trainer;

    /// <summary>Creates the estimator.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="options">Trainer options (validated now; column names are taken from them).</param>
    /// <param name="itemCatalog">Optional fixed item id map (items without rows get no neighbours and score 0).</param>
    public ItemKnnEstimator(MLContext mlContext, ItemKnnTrainer.Options? options = null, IdMap? itemCatalog = null)
        : base(mlContext,
            (options ??= new ItemKnnTrainer.Options()).UserIdColumnName,
            options.ItemIdColumnName,
            options.LabelColumnName,
            null,
            itemCatalog)
    {
        _trainer = new ItemKnnTrainer(options);
        Options = options;
    }

    /// <summary>The trainer options.</summary>
    public ItemKnnTrainer.Options Options { get; }

    /// <inheritdoc />
    protected override string ModelKind => "itemknn";

    /// <inheritdoc />
    protected override ItemKnnModel FitCore(CsrMatrix interactions, IdMap users, IdMap items)
    {
        ItemItemModel.EnsurePackedViewFits(users.Count, items.Count, "Item-kNN");
        return _trainer.Fit(interactions, users, items);
    }
}
