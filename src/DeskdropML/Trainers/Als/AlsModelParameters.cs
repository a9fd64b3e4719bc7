using System.Buffers;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// A trained ALS model: user factors <c>x_u</c> and item factors <c>y_i</c> (k each, row-major), score
/// <c>s_ui = x_u · y_i</c>, biases 0 (packed user <c>[x_u, 0, 1]</c>, packed item <c>[y_i, 1, 0]</c>).
/// </summary>
/// <remarks>
/// The training objective of these parameters is, for implicit feedback,
/// <c>sum over all (u, i) of c_ui (p_ui - x_u · y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)</c> and, for explicit
/// feedback, <c>sum over stored (u, i) of (r_ui - x_u · y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)</c> (see
/// <see cref="AlsTrainer"/>). Users and items without training entries have zero factors; recommenders must treat
/// such users as unknown (<see cref="HasTrainingInteractions"/>). The parameters are immutable; the raw arrays are
/// exposed read-only for persistence and rebuilt with <see cref="Create"/>.
/// </remarks>
public sealed class AlsModelParameters : IFactorizationModel
{
    private readonly float[] _userFactors;
    private readonly float[] _itemFactors;
    private readonly bool[] _hasInteractions;
    private readonly AlsTrainer.Options _options;
    private readonly float[]? _itemLengthNorms;
    private readonly AlsMatrixWeighting _weighting;
    private readonly Lazy<float[]?> _itemGram;

    internal AlsModelParameters(IdMap users, IdMap items, float[] userFactors, float[] itemFactors, bool[] hasInteractions,
        AlsTrainer.Options options, float[]? itemLengthNorms)
    {
        Users = users;
        Items = items;
        _userFactors = userFactors;
        _itemFactors = itemFactors;
        _hasInteractions = hasInteractions;
        _options = options;
        _itemLengthNorms = itemLengthNorms;
        Dimension = options.NumberOfFactors;
        _weighting = AlsMatrixWeighting.FromParameters(options.Weighting, options.Bm25K1, items.Count, itemLengthNorms);
        _itemGram = new Lazy<float[]?>(
            () => options.Feedback == AlsFeedback.Implicit ? AlsHalfStep.Gram(_itemFactors, Items.Count, Dimension, 1) : null,
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Rebuilds parameters from raw arrays (for persistence). The arrays are copied.
    /// </summary>
    /// <param name="users">User ids (row order of <paramref name="userFactors"/>).</param>
    /// <param name="items">Item ids (row order of <paramref name="itemFactors"/>).</param>
    /// <param name="userFactors">Users x k factors, row-major.</param>
    /// <param name="itemFactors">Items x k factors, row-major.</param>
    /// <param name="userHasTrainingInteractions">One flag per user.</param>
    /// <param name="options">The training options (k = <see cref="AlsTrainer.Options.NumberOfFactors"/>; the loss and solver
    /// settings are used by <see cref="RecalculateUser"/>).</param>
    /// <param name="itemLengthNorms">BM25 item length norms (<see cref="ItemLengthNorms"/>), required with BM25 weighting.</param>
    /// <exception cref="ArgumentException">An array has the wrong length or a factor is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static AlsModelParameters Create(IdMap users, IdMap items, ReadOnlySpan<float> userFactors, ReadOnlySpan<float> itemFactors,
        ReadOnlySpan<bool> userHasTrainingInteractions, AlsTrainer.Options options, ReadOnlySpan<float> itemLengthNorms = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.Validate();
        int k = copy.NumberOfFactors;
        if (userFactors.Length != (long)users.Count * k)
            throw new ArgumentException($"userFactors has {userFactors.Length} values; expected users x k = {users.Count} x {k}.", nameof(userFactors));
        if (itemFactors.Length != (long)items.Count * k)
            throw new ArgumentException($"itemFactors has {itemFactors.Length} values; expected items x k = {items.Count} x {k}.", nameof(itemFactors));
        if (userHasTrainingInteractions.Length != users.Count)
            throw new ArgumentException($"userHasTrainingInteractions has {userHasTrainingInteractions.Length} flags; expected one per user ({users.Count}).", nameof(userHasTrainingInteractions));
        if (System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(userFactors) is int iu && iu >= 0 && !float.IsFinite(userFactors[iu]))
            throw new ArgumentException("userFactors holds a non-finite value.", nameof(userFactors));
        if (System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(itemFactors) is int ii && ii >= 0 && !float.IsFinite(itemFactors[ii]))
            throw new ArgumentException("itemFactors holds a non-finite value.", nameof(itemFactors));
        float[]? norms = null;
        if (copy.Weighting == AlsWeighting.Bm25)
        {
            if (itemLengthNorms.Length != items.Count)
                throw new ArgumentException($"BM25 weighting needs one item length norm per item ({items.Count}); got {itemLengthNorms.Length}.", nameof(itemLengthNorms));
            norms = itemLengthNorms.ToArray();
        }
        return new AlsModelParameters(users, items, userFactors.ToArray(), itemFactors.ToArray(), userHasTrainingInteractions.ToArray(), copy, norms);
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>All user factors, users x k, row-major.</summary>
    public ReadOnlySpan<float> UserFactors => _userFactors;

    /// <summary>All item factors, items x k, row-major.</summary>
    public ReadOnlySpan<float> ItemFactors => _itemFactors;

    /// <summary>One flag per user: true when the user's training row had stored entries.</summary>
    public ReadOnlySpan<bool> UserHasTrainingInteractions => _hasInteractions;

    /// <summary>BM25 item length norms <c>L_i</c> learned at training (empty unless <see cref="AlsWeighting.Bm25"/>).</summary>
    public ReadOnlySpan<float> ItemLengthNorms => _itemLengthNorms;

    /// <summary>A copy of the options the model was trained with.</summary>
    public AlsTrainer.Options TrainingOptions => _options.Clone();

    /// <summary>The k factors of one user.</summary>
    public ReadOnlySpan<float> GetUserFactors(int userIndex)
    {
        CheckUser(userIndex);
        return _userFactors.AsSpan(userIndex * Dimension, Dimension);
    }

    /// <summary>The k factors of one item.</summary>
    public ReadOnlySpan<float> GetItemFactors(int itemIndex)
    {
        if ((uint)itemIndex >= (uint)Items.Count)
            throw new ArgumentOutOfRangeException(nameof(itemIndex), itemIndex, $"Item index must be in [0, {Items.Count}).");
        return _itemFactors.AsSpan(itemIndex * Dimension, Dimension);
    }

    /// <inheritdoc />
    public bool HasTrainingInteractions(int userIndex)
    {
        CheckUser(userIndex);
        return _hasInteractions[userIndex];
    }

    /// <summary>Writes <c>x_u · y_i</c> for every item i.</summary>
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        CheckUser(userIndex);
        ScoreItemsForFactors(_userFactors.AsSpan(userIndex * Dimension, Dimension), scores);
    }

    /// <summary>Writes <c>x · y_i</c> for every item i, for any user vector x of length k (e.g. from <see cref="RecalculateUser"/>).</summary>
    public void ScoreItemsForFactors(ReadOnlySpan<float> userFactors, Span<float> scores)
    {
        int k = Dimension;
        if (userFactors.Length != k)
            throw new ArgumentException($"userFactors has length {userFactors.Length}; expected k = {k}.", nameof(userFactors));
        if (scores.Length != Items.Count)
            throw new ArgumentException($"scores has length {scores.Length}; expected one per item ({Items.Count}).", nameof(scores));
        for (int i = 0; i < scores.Length; i++)
            scores[i] = AlsKernels.Dot(userFactors, _itemFactors.AsSpan(i * k, k));
    }

    /// <inheritdoc />
    public void GetPackedUserVector(int userIndex, Span<float> packed)
    {
        CheckPacked(packed);
        GetUserFactors(userIndex).CopyTo(packed);
        packed[Dimension] = 0f;
        packed[Dimension + 1] = 1f;
    }

    /// <inheritdoc />
    public void GetPackedItemVector(int itemIndex, Span<float> packed)
    {
        CheckPacked(packed);
        GetItemFactors(itemIndex).CopyTo(packed);
        packed[Dimension] = 1f;
        packed[Dimension + 1] = 0f;
    }

    /// <summary>
    /// Fold-in: solves one user half-step against the fixed item factors, with the loss, confidence, regularization,
    /// weighting and solver of training. The user's strengths are weighted as a training row would be.
    /// </summary>
    /// <param name="itemIndices">The user's items (distinct indices into <see cref="Items"/>).</param>
    /// <param name="weights">The raw strengths r &gt;= 0, aligned with <paramref name="itemIndices"/>.</param>
    /// <param name="factors">Length k. On entry: the conjugate-gradient warm start (zeros for a new user; a trained user's
    /// factors reproduce training); ignored by Cholesky. On return: the user's factors (zero when no entry contributes).</param>
    /// <exception cref="ArgumentException">Lengths differ, an index repeats, or a weight is negative or not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An item index is outside the catalogue.</exception>
    public void RecalculateUser(ReadOnlySpan<int> itemIndices, ReadOnlySpan<float> weights, Span<float> factors)
    {
        int k = Dimension;
        if (itemIndices.Length != weights.Length)
            throw new ArgumentException($"weights has {weights.Length} values but itemIndices has {itemIndices.Length}; they must align.", nameof(weights));
        if (factors.Length != k)
            throw new ArgumentException($"factors has length {factors.Length}; expected k = {k}.", nameof(factors));
        bool[] seen = ArrayPool<bool>.Shared.Rent(Items.Count);
        float[] weighted = ArrayPool<float>.Shared.Rent(Math.Max(1, weights.Length));
        try
        {
            Array.Clear(seen, 0, Items.Count);
            for (int n = 0; n < itemIndices.Length; n++)
            {
                int item = itemIndices[n];
                if ((uint)item >= (uint)Items.Count)
                    throw new ArgumentOutOfRangeException(nameof(itemIndices), item, $"Item index at position {n} must be in [0, {Items.Count}).");
                if (seen[item])
                    throw new ArgumentException($"Item index {item} appears more than once; pass each item once with its summed strength.", nameof(itemIndices));
                seen[item] = true;
                if (!float.IsFinite(weights[n]) || weights[n] < 0)
                    throw new ArgumentException($"Weight at position {n} is {weights[n]}; strengths must be finite and >= 0.", nameof(weights));
            }
            Span<float> w = weighted.AsSpan(0, weights.Length);
            _weighting.WeightRow(itemIndices, weights, w);
            var solver = new AlsRowSolver(_options.ToSolveSettings(), _itemFactors, _itemGram.Value);
            solver.Solve(itemIndices, w, factors, new AlsRowSolver.Scratch(k, itemIndices.Length));
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(seen);
            ArrayPool<float>.Shared.Return(weighted);
        }
    }

    /// <summary>The training objective of these factors on a users x items strength matrix (raw strengths; the model's
    /// weighting is applied first). For tests and diagnostics.</summary>
    internal double Objective(CsrMatrix interactions) =>
        AlsObjective.Compute(AlsMatrixWeighting.FromParameters(_options.Weighting, _options.Bm25K1, Items.Count, _itemLengthNorms).Apply(interactions),
            _userFactors, _itemFactors, _options.ToSolveSettings());

    private void CheckUser(int userIndex)
    {
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
    }

    private void CheckPacked(Span<float> packed)
    {
        if (packed.Length != Dimension + 2)
            throw new ArgumentException($"packed has length {packed.Length}; expected k + 2 = {Dimension + 2}.", nameof(packed));
    }
}
