using System.Numerics.Tensors;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Svd;

/// <summary>
/// A trained PureSVD model: singular values <c>σ_1 ≥ … ≥ σ_k</c>, item factors <c>q_i = Σ_k v_i</c> (rows of
/// <c>V_k Σ_k</c>) and user factors <c>p_u = x_u V_k Σ_k⁻¹</c> (rows of <c>U_k</c>), so
/// <c>score(u, i) = p_u · q_i = (U_k Σ_k V_kᵀ)_ui = x_u V_k V_kᵀ e_i</c>; biases 0 (packed user <c>[p_u, 0, 1]</c>,
/// packed item <c>[q_i, 1, 0]</c>). See <see cref="PureSvdTrainer"/>.
/// </summary>
/// <remarks>Immutable; users without training entries have zero factors and are ranked by the recommenders' popularity
/// fallback. <see cref="Recommender.SimilarItems"/> compares items by the cosine of <c>q_i</c>.</remarks>
public sealed class PureSvdModel : IFactorizationModel
{
    private readonly float[] _userFactors;
    private readonly float[] _itemFactors;
    private readonly double[] _singularValues;
    private readonly bool[] _hasInteractions;
    private readonly PureSvdTrainer.Options _options;

    private PureSvdModel(IdMap users, IdMap items, float[] userFactors, float[] itemFactors, double[] singularValues,
        bool[] hasInteractions, PureSvdTrainer.Options options)
    {
        Users = users;
        Items = items;
        _userFactors = userFactors;
        _itemFactors = itemFactors;
        _singularValues = singularValues;
        _hasInteractions = hasInteractions;
        _options = options;
        Dimension = singularValues.Length;
    }

    /// <summary>
    /// Builds the model from the decomposition: <paramref name="scaledItemVectors"/> = <c>V_k Σ_k</c> (items x k, row-major)
    /// and the singular values; user factors are projected from <paramref name="interactions"/>.
    /// </summary>
    internal static PureSvdModel FromDecomposition(IdMap users, IdMap items, CsrMatrix interactions, double[] scaledItemVectors,
        double[] singularValues, PureSvdTrainer.Options options)
    {
        int k = singularValues.Length;
        double cutoff = singularValues.Length == 0 ? 0 : 1e-9 * singularValues[0];
        var itemFactors = new float[(long)items.Count * k];
        var kept = new double[k];
        for (int c = 0; c < k; c++) kept[c] = singularValues[c] > cutoff ? singularValues[c] : 0;
        for (int i = 0; i < items.Count; i++)
            for (int c = 0; c < k; c++)
                itemFactors[(long)i * k + c] = kept[c] > 0 ? (float)scaledItemVectors[(long)i * k + c] : 0f;
        var userFactors = new float[(long)users.Count * k];
        var hasInteractions = new bool[users.Count];
        var model = new PureSvdModel(users, items, userFactors, itemFactors, kept, hasInteractions, options);
        for (int u = 0; u < users.Count; u++)
        {
            hasInteractions[u] = interactions.RowLength(u) > 0;
            model.Project(interactions.RowIndices(u), interactions.RowValues(u), userFactors.AsSpan(u * k, k));
        }
        return model;
    }

    /// <summary>
    /// Rebuilds a model from its arrays (for persistence or tests). The arrays are copied.
    /// </summary>
    /// <param name="users">User ids (rows of <paramref name="userFactors"/>).</param>
    /// <param name="items">Item ids (rows of <paramref name="itemFactors"/>).</param>
    /// <param name="userFactors">Users x k, row-major (<c>x_u V Σ⁻¹</c>).</param>
    /// <param name="itemFactors">Items x k, row-major (<c>Σ v_i</c>).</param>
    /// <param name="singularValues">σ_1..σ_k, non-increasing, &gt;= 0 (0 marks a dropped factor).</param>
    /// <param name="userHasTrainingInteractions">One flag per user.</param>
    /// <param name="options">The training options (copied and validated).</param>
    /// <exception cref="ArgumentException">A length does not match k or a value is not finite or negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static PureSvdModel Create(IdMap users, IdMap items, ReadOnlySpan<float> userFactors, ReadOnlySpan<float> itemFactors,
        ReadOnlySpan<double> singularValues, ReadOnlySpan<bool> userHasTrainingInteractions, PureSvdTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.Validate();
        int k = singularValues.Length;
        if (userFactors.Length != (long)users.Count * k)
            throw new ArgumentException($"userFactors has {userFactors.Length} values; expected users x k = {users.Count} x {k}.", nameof(userFactors));
        if (itemFactors.Length != (long)items.Count * k)
            throw new ArgumentException($"itemFactors has {itemFactors.Length} values; expected items x k = {items.Count} x {k}.", nameof(itemFactors));
        if (userHasTrainingInteractions.Length != users.Count)
            throw new ArgumentException($"userHasTrainingInteractions has {userHasTrainingInteractions.Length} flags; expected one per user ({users.Count}).", nameof(userHasTrainingInteractions));
        for (int c = 0; c < k; c++)
            if (!double.IsFinite(singularValues[c]) || singularValues[c] < 0 || (c > 0 && singularValues[c] > singularValues[c - 1]))
                throw new ArgumentException($"Singular value {c} is {singularValues[c]}; they must be finite, >= 0 and non-increasing.", nameof(singularValues));
        if (!AllFinite(userFactors)) throw new ArgumentException("userFactors holds a non-finite value.", nameof(userFactors));
        if (!AllFinite(itemFactors)) throw new ArgumentException("itemFactors holds a non-finite value.", nameof(itemFactors));
        return new PureSvdModel(users, items, userFactors.ToArray(), itemFactors.ToArray(), singularValues.ToArray(),
            userHasTrainingInteractions.ToArray(), copy);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (!float.IsFinite(v)) return false;
        return true;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>Number of factors k.</summary>
    public int Dimension { get; }

    /// <summary>σ_1 ≥ … ≥ σ_k (0 for a factor dropped because X has lower rank).</summary>
    public ReadOnlySpan<double> SingularValues => _singularValues;

    /// <summary>All user factors <c>x_u V Σ⁻¹</c>, users x k, row-major.</summary>
    public ReadOnlySpan<float> UserFactors => _userFactors;

    /// <summary>All item factors <c>Σ v_i</c>, items x k, row-major.</summary>
    public ReadOnlySpan<float> ItemFactors => _itemFactors;

    /// <summary>A copy of the options the model was trained with.</summary>
    public PureSvdTrainer.Options TrainingOptions => _options.Clone();

    /// <inheritdoc />
    public bool HasTrainingInteractions(int userIndex)
    {
        CheckUser(userIndex);
        return _hasInteractions[userIndex];
    }

    /// <summary>Writes <c>p_u · q_i</c> for every item i.</summary>
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        CheckUser(userIndex);
        ScoreItemsForFactors(_userFactors.AsSpan(userIndex * Dimension, Dimension), scores);
    }

    /// <summary>Writes <c>p · q_i</c> for every item i, for any user factors p of length k (e.g. from <see cref="FoldIn"/>).</summary>
    public void ScoreItemsForFactors(ReadOnlySpan<float> userFactors, Span<float> scores)
    {
        int k = Dimension;
        if (userFactors.Length != k)
            throw new ArgumentException($"userFactors has length {userFactors.Length}; expected k = {k}.", nameof(userFactors));
        if (scores.Length != Items.Count)
            throw new ArgumentException($"scores has length {scores.Length}; expected one per item ({Items.Count}).", nameof(scores));
        for (int i = 0; i < scores.Length; i++) scores[i] = TensorPrimitives.Dot(userFactors, _itemFactors.AsSpan(i * k, k));
    }

    /// <summary>
    /// The factors of any user from a row of strengths: <c>p = x V Σ⁻¹</c> (for a training row, exactly the stored
    /// factors). Lets a new user be scored without refitting.
    /// </summary>
    /// <param name="itemIndices">The user's items (indices into <see cref="Items"/>).</param>
    /// <param name="weights">Their strengths, aligned with <paramref name="itemIndices"/>; finite.</param>
    /// <param name="factors">Receives the k factors.</param>
    /// <exception cref="ArgumentException">Lengths differ or a weight is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An item index is outside the catalogue.</exception>
    public void FoldIn(ReadOnlySpan<int> itemIndices, ReadOnlySpan<float> weights, Span<float> factors)
    {
        if (itemIndices.Length != weights.Length)
            throw new ArgumentException($"weights has {weights.Length} values but itemIndices has {itemIndices.Length}; they must align.", nameof(weights));
        if (factors.Length != Dimension)
            throw new ArgumentException($"factors has length {factors.Length}; expected k = {Dimension}.", nameof(factors));
        for (int n = 0; n < itemIndices.Length; n++)
        {
            if ((uint)itemIndices[n] >= (uint)Items.Count)
                throw new ArgumentOutOfRangeException(nameof(itemIndices), itemIndices[n], $"Item index at position {n} must be in [0, {Items.Count}).");
            if (!float.IsFinite(weights[n]))
                throw new ArgumentException($"Weight at position {n} is {weights[n]}; strengths must be finite.", nameof(weights));
        }
        Project(itemIndices, weights, factors);
    }

    /// <summary><c>p_c = Σ_n x_n q_{i_n, c} / σ_c²</c> (= x v_c / σ_c), accumulated in double; 0 for a dropped factor.</summary>
    private void Project(ReadOnlySpan<int> itemIndices, ReadOnlySpan<float> weights, Span<float> factors)
    {
        int k = Dimension;
        Span<double> sums = k <= 128 ? stackalloc double[k] : new double[k];
        sums.Clear();
        for (int n = 0; n < itemIndices.Length; n++)
        {
            double x = weights[n];
            var q = _itemFactors.AsSpan(itemIndices[n] * k, k);
            for (int c = 0; c < k; c++) sums[c] += x * q[c];
        }
        for (int c = 0; c < k; c++)
            factors[c] = _singularValues[c] > 0 ? (float)(sums[c] / (_singularValues[c] * _singularValues[c])) : 0f;
    }

    /// <inheritdoc />
    public void GetPackedUserVector(int userIndex, Span<float> packed)
    {
        CheckUser(userIndex);
        CheckPacked(packed);
        _userFactors.AsSpan(userIndex * Dimension, Dimension).CopyTo(packed);
        packed[Dimension] = 0f;
        packed[Dimension + 1] = 1f;
    }

    /// <inheritdoc />
    public void GetPackedItemVector(int itemIndex, Span<float> packed)
    {
        if ((uint)itemIndex >= (uint)Items.Count)
            throw new ArgumentOutOfRangeException(nameof(itemIndex), itemIndex, $"Item index must be in [0, {Items.Count}).");
        CheckPacked(packed);
        _itemFactors.AsSpan(itemIndex * Dimension, Dimension).CopyTo(packed);
        packed[Dimension] = 1f;
        packed[Dimension + 1] = 0f;
    }

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
