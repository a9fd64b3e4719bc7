using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// ALS over a sequence of growing train matrices (backtest folds), refitted in full only every
/// <c>refitEvery</c> calls; in between, every user's factors are recalculated from the current train row against the
/// fixed item factors (<see cref="AlsModelParameters.RecalculateUser"/>, warm-started from the previous factors).
/// </summary>
/// <remarks>
/// <para>A user half-step costs about half an ALS iteration, against 15 iterations for a full fit. It is exact for the
/// user side (the same solve as training) but leaves the item side frozen: an item first seen after the last full fit
/// has zero factors (scores 0) and older items do not move. A full refit is needed for those — the period is the
/// trade-off; with <c>refitEvery</c> = 1 every call is a full fit.</para>
/// <para>The item and user maps must stay the same across calls (a backtest's global maps); a change forces a full fit.</para>
/// </remarks>
public sealed class AlsRollingRefit
{
    private readonly AlsTrainer _trainer;
    private readonly int _refitEvery;
    private AlsModelParameters? _model;
    private float[]? _userFactors;
    private int _calls;

    /// <summary>Creates the refitter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">refitEvery &lt; 1, or an ALS option is out of range.</exception>
    public AlsRollingRefit(AlsTrainer.Options options, int refitEvery)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(refitEvery, 1);
        _trainer = new AlsTrainer(options);
        _refitEvery = refitEvery;
    }

    /// <summary>Full fits done so far.</summary>
    public int FullFits { get; private set; }

    /// <summary>The model for this train matrix (users without a train entry are not handled here: wrap it in <see cref="ColdUserFallbackModel"/>).</summary>
    public IRecommenderModel Fit(CsrMatrix train, IdMap users, IdMap items)
    {
        ArgumentNullException.ThrowIfNull(train);
        bool full = _model is null || _calls % _refitEvery == 0 || _model.Users.Count != users.Count || _model.Items.Count != items.Count;
        _calls++;
        if (full)
        {
            _model = _trainer.Fit(train, users, items);
            _userFactors = _model.UserFactors.ToArray();
            FullFits++;
            return _model;
        }
        var model = _model!;
        int k = model.Dimension;
        var factors = _userFactors!;
        for (int u = 0; u < users.Count; u++)
        {
            if (train.RowLength(u) == 0) continue;
            model.RecalculateUser(train.RowIndices(u), train.RowValues(u), factors.AsSpan(u * k, k));
        }
        return new Refreshed(model, (float[])factors.Clone());
    }

    private sealed class Refreshed(AlsModelParameters model, float[] userFactors) : IRecommenderModel
    {
        public IdMap Users => model.Users;
        public IdMap Items => model.Items;

        public void ScoreItems(int userIndex, Span<float> scores) =>
            model.ScoreItemsForFactors(userFactors.AsSpan(userIndex * model.Dimension, model.Dimension), scores);
    }
}
