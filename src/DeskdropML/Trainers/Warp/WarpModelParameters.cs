using System.Numerics.Tensors;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// A trained hybrid factorization model (LightFM's model), produced by <see cref="WarpTrainer"/>. Read-only.
/// </summary>
/// <remarks>
/// <para>Each user u has a feature row x_u (combined user feature space: one identity column per user when enabled,
/// then the user side features) and each item i a row x_i likewise. With feature embeddings e_f ∈ ℝ^d and feature
/// biases β_f:</para>
/// <para><c>p_u = Σ_f x_uf e_f,  b_u = Σ_f x_uf β_f,  q_i = Σ_f x_if e_f,  b_i = Σ_f x_if β_f,
/// score(u, i) = p_u · q_i + b_u + b_i</c>.</para>
/// <para>The representations of all training users and items are precomputed; packed vectors follow
/// <see cref="IFactorizationModel"/> (user <c>[p_u, b_u, 1]</c>, item <c>[q_i, 1, b_i]</c>).
/// The optimiser's per-parameter accumulators are kept with the model (see <see cref="ToArrays"/>) so that
/// <see cref="WarpTrainer.FitPartial"/> continues exactly where training stopped.</para>
/// </remarks>
public sealed class WarpModelParameters : IFactorizationModel
{
    private readonly bool[] _trainedUsers;
    private readonly float[] _userPacked;
    private readonly float[] _itemPacked;
    // Component-major copy of the item representations for vectorised full-catalogue scoring:
    // row c < d holds q_i[c] for every item, row d holds b_i.
    private readonly float[] _itemColumns;

    internal WarpModelParameters(IdMap users, IdMap items, WarpSide userSide, WarpSide itemSide,
        bool userIdentity, bool itemIdentity, CsrMatrix? userSideFeatures, CsrMatrix? itemSideFeatures,
        WarpLearningSchedule schedule, bool[] trainedUsers, int epochsTrained)
    {
        Users = users;
        Items = items;
        UserSide = userSide;
        ItemSide = itemSide;
        UsesUserIdentityFeatures = userIdentity;
        UsesItemIdentityFeatures = itemIdentity;
        UserSideFeatures = userSideFeatures;
        ItemSideFeatures = itemSideFeatures;
        LearningSchedule = schedule;
        _trainedUsers = trainedUsers;
        EpochsTrained = epochsTrained;

        int d = Dimension;
        int stride = d + 2;
        var repr = new float[d + 1];
        _userPacked = new float[users.Count * stride];
        for (int u = 0; u < users.Count; u++)
        {
            userSide.Represent(u, repr);
            var packed = _userPacked.AsSpan(u * stride, stride);
            repr.AsSpan(0, d + 1).CopyTo(packed);
            packed[d + 1] = 1f;
        }
        _itemPacked = new float[items.Count * stride];
        _itemColumns = new float[(d + 1) * items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            itemSide.Represent(i, repr);
            var packed = _itemPacked.AsSpan(i * stride, stride);
            repr.AsSpan(0, d).CopyTo(packed);
            packed[d] = 1f;
            packed[d + 1] = repr[d];
            for (int c = 0; c <= d; c++) _itemColumns[c * items.Count + i] = repr[c];
        }
    }

    internal WarpSide UserSide { get; }

    internal WarpSide ItemSide { get; }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>Number of latent components d.</summary>
    public int Dimension => UserSide.Components;

    /// <summary>True when the user feature space starts with one identity column per user.</summary>
    public bool UsesUserIdentityFeatures { get; }

    /// <summary>True when the item feature space starts with one identity column per item.</summary>
    public bool UsesItemIdentityFeatures { get; }

    /// <summary>The users x side-features matrix given at training, or null.</summary>
    public CsrMatrix? UserSideFeatures { get; }

    /// <summary>The items x side-features matrix given at training, or null.</summary>
    public CsrMatrix? ItemSideFeatures { get; }

    /// <summary>The combined users x user-features matrix (identity columns first).</summary>
    public CsrMatrix UserFeatures => UserSide.Features;

    /// <summary>The combined items x item-features matrix (identity columns first).</summary>
    public CsrMatrix ItemFeatures => ItemSide.Features;

    /// <summary>Number of user features (identity + side).</summary>
    public int UserFeatureCount => UserSide.FeatureCount;

    /// <summary>Number of item features (identity + side).</summary>
    public int ItemFeatureCount => ItemSide.FeatureCount;

    /// <summary>
    /// All user feature parameters in blocks of stride d + 1: feature f is <c>[e_f (d values), β_f]</c> at
    /// <c>[f·(d+1), (f+1)·(d+1))</c>. <see cref="ToArrays"/> gives separate embedding and bias arrays.
    /// </summary>
    public ReadOnlySpan<float> UserFeatureParameters => UserSide.Parameters;

    /// <summary>All item feature parameters, laid out like <see cref="UserFeatureParameters"/>.</summary>
    public ReadOnlySpan<float> ItemFeatureParameters => ItemSide.Parameters;

    /// <summary>The embedding e_f (length d) of user feature <paramref name="feature"/> (combined feature space).</summary>
    public ReadOnlySpan<float> GetUserFeatureEmbedding(int feature) => UserSide.Embedding(CheckFeature(feature, UserFeatureCount));

    /// <summary>The bias β_f of user feature <paramref name="feature"/>.</summary>
    public float GetUserFeatureBias(int feature) => UserSide.Bias(CheckFeature(feature, UserFeatureCount));

    /// <summary>The embedding e_f (length d) of item feature <paramref name="feature"/> (combined feature space).</summary>
    public ReadOnlySpan<float> GetItemFeatureEmbedding(int feature) => ItemSide.Embedding(CheckFeature(feature, ItemFeatureCount));

    /// <summary>The bias β_f of item feature <paramref name="feature"/>.</summary>
    public float GetItemFeatureBias(int feature) => ItemSide.Bias(CheckFeature(feature, ItemFeatureCount));

    private static int CheckFeature(int feature, int count)
    {
        if ((uint)feature >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(feature), feature, $"Feature index must be in [0, {count}).");
        return feature;
    }

    /// <summary>Packed user vectors <c>[p_u, b_u, 1]</c>, user-major (stride d + 2).</summary>
    public ReadOnlySpan<float> PackedUserVectors => _userPacked;

    /// <summary>Packed item vectors <c>[q_i, 1, b_i]</c>, item-major (stride d + 2).</summary>
    public ReadOnlySpan<float> PackedItemVectors => _itemPacked;

    /// <summary>The schedule of the stored optimiser state.</summary>
    public WarpLearningSchedule LearningSchedule { get; }

    /// <summary>Epochs trained so far (Fit plus every FitPartial).</summary>
    public int EpochsTrained { get; }

    /// <inheritdoc />
    public bool HasTrainingInteractions(int userIndex) => _trainedUsers[userIndex];

    /// <inheritdoc />
    public void GetPackedUserVector(int userIndex, Span<float> packed)
    {
        int stride = Dimension + 2;
        CheckPacked(packed);
        _userPacked.AsSpan(checked(userIndex * stride), stride).CopyTo(packed);
    }

    /// <inheritdoc />
    public void GetPackedItemVector(int itemIndex, Span<float> packed)
    {
        int stride = Dimension + 2;
        CheckPacked(packed);
        _itemPacked.AsSpan(checked(itemIndex * stride), stride).CopyTo(packed);
    }

    /// <summary>The score <c>p_u · q_i + b_u + b_i</c> of one pair.</summary>
    public float Score(int userIndex, int itemIndex)
    {
        int stride = Dimension + 2;
        return TensorPrimitives.Dot(_userPacked.AsSpan(userIndex * stride, stride), _itemPacked.AsSpan(itemIndex * stride, stride));
    }

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        int stride = Dimension + 2;
        ScoreItems(_userPacked.AsSpan(checked(userIndex * stride), stride), scores);
    }

    /// <summary>
    /// Scores every item for an arbitrary packed user vector <c>[p, b_u, 1]</c> (e.g. a cold user from
    /// <see cref="ComputeUserRepresentation"/>): <c>scores_i = Σ_c p_c q_i[c] + b_u + b_i</c>, computed as d + 1
    /// vectorised passes over the catalogue.
    /// </summary>
    public void ScoreItems(ReadOnlySpan<float> packedUser, Span<float> scores)
    {
        int d = Dimension;
        int n = Items.Count;
        if (packedUser.Length != d + 2)
            throw new ArgumentException($"The packed user vector must have length d + 2 = {d + 2}; got {packedUser.Length}.", nameof(packedUser));
        if (scores.Length != n)
            throw new ArgumentException($"scores must have one entry per item ({n}); got {scores.Length}.", nameof(scores));
        var columns = _itemColumns.AsSpan();
        var biases = columns.Slice(d * n, n);
        TensorPrimitives.Multiply(biases, packedUser[d + 1], scores);
        TensorPrimitives.Add(scores, packedUser[d], scores);
        for (int c = 0; c < d; c++)
            TensorPrimitives.MultiplyAdd(columns.Slice(c * n, n), packedUser[c], scores, scores);
    }

    /// <summary>
    /// The packed vector <c>[q, 1, b]</c> of an item described only by side features (a cold item, or text
    /// fold-in): <c>q = Σ_k v_k e_{s(k)}</c>, <c>b = Σ_k v_k β_{s(k)}</c>, where <paramref name="featureIdx"/> are
    /// column indices of the item <em>side</em> feature matrix given at training (not the identity columns) and
    /// s(k) their position in the combined feature space.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, an index is out of range, or the packed span has the wrong length.</exception>
    public void ComputeItemRepresentation(ReadOnlySpan<int> featureIdx, ReadOnlySpan<float> featureVals, Span<float> packed)
    {
        CheckPacked(packed);
        int d = Dimension;
        Span<float> repr = d < 256 ? stackalloc float[d + 1] : new float[d + 1];
        RepresentSide(ItemSide, UsesItemIdentityFeatures ? Items.Count : 0, ItemSideFeatures?.Columns ?? 0, featureIdx, featureVals, repr);
        repr.Slice(0, d).CopyTo(packed);
        packed[d] = 1f;
        packed[d + 1] = repr[d];
    }

    /// <summary>
    /// The packed vector <c>[p, b, 1]</c> of a user described only by side features (a cold user), with
    /// <paramref name="featureIdx"/> column indices of the user side feature matrix given at training.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, an index is out of range, or the packed span has the wrong length.</exception>
    public void ComputeUserRepresentation(ReadOnlySpan<int> featureIdx, ReadOnlySpan<float> featureVals, Span<float> packed)
    {
        CheckPacked(packed);
        int d = Dimension;
        Span<float> repr = d < 256 ? stackalloc float[d + 1] : new float[d + 1];
        RepresentSide(UserSide, UsesUserIdentityFeatures ? Users.Count : 0, UserSideFeatures?.Columns ?? 0, featureIdx, featureVals, repr);
        repr.Slice(0, d + 1).CopyTo(packed);
        packed[d + 1] = 1f;
    }

    private static void RepresentSide(WarpSide side, int offset, int sideColumns, ReadOnlySpan<int> featureIdx, ReadOnlySpan<float> featureVals, Span<float> repr)
    {
        if (featureIdx.Length != featureVals.Length)
            throw new ArgumentException($"featureIdx ({featureIdx.Length}) and featureVals ({featureVals.Length}) must have the same length.", nameof(featureVals));
        int stride = side.Components + 1;
        repr.Clear();
        for (int k = 0; k < featureIdx.Length; k++)
        {
            int f = featureIdx[k];
            if ((uint)f >= (uint)sideColumns)
                throw new ArgumentException($"Side feature index {f} at position {k} is outside [0, {sideColumns}).", nameof(featureIdx));
            TensorPrimitives.MultiplyAdd(side.Parameters.AsSpan((offset + f) * stride, stride), featureVals[k], repr, repr);
        }
    }

    private void CheckPacked(Span<float> packed)
    {
        if (packed.Length != Dimension + 2)
            throw new ArgumentException($"The packed span must have length d + 2 = {Dimension + 2}; got {packed.Length}.", nameof(packed));
    }

    /// <summary>Copies of every learned array, the optimiser state and the feature configuration.</summary>
    public WarpModelArrays ToArrays() => new()
    {
        NumberOfComponents = Dimension,
        LearningSchedule = LearningSchedule,
        UserIdentityFeatures = UsesUserIdentityFeatures,
        ItemIdentityFeatures = UsesItemIdentityFeatures,
        UserSideFeatures = UserSideFeatures,
        ItemSideFeatures = ItemSideFeatures,
        UserEmbeddings = UserSide.CopyEmbeddings(),
        UserBiases = UserSide.CopyBiases(),
        ItemEmbeddings = ItemSide.CopyEmbeddings(),
        ItemBiases = ItemSide.CopyBiases(),
        UserEmbeddingAccumulators = UserSide.CopyEmbeddingPart(UserSide.Accumulators),
        UserBiasAccumulators = UserSide.CopyBiasPart(UserSide.Accumulators),
        ItemEmbeddingAccumulators = ItemSide.CopyEmbeddingPart(ItemSide.Accumulators),
        ItemBiasAccumulators = ItemSide.CopyBiasPart(ItemSide.Accumulators),
        UserEmbeddingDeltas = UserSide.Deltas is null ? null : UserSide.CopyEmbeddingPart(UserSide.Deltas),
        UserBiasDeltas = UserSide.Deltas is null ? null : UserSide.CopyBiasPart(UserSide.Deltas),
        ItemEmbeddingDeltas = ItemSide.Deltas is null ? null : ItemSide.CopyEmbeddingPart(ItemSide.Deltas),
        ItemBiasDeltas = ItemSide.Deltas is null ? null : ItemSide.CopyBiasPart(ItemSide.Deltas),
        TrainedUsers = (bool[])_trainedUsers.Clone(),
        EpochsTrained = EpochsTrained,
    };

    /// <summary>Rebuilds a model from arrays produced by <see cref="ToArrays"/> (the arrays are copied).</summary>
    /// <exception cref="ArgumentException">An array length or matrix shape does not match the maps and settings.</exception>
    public static WarpModelParameters FromArrays(IdMap users, IdMap items, WarpModelArrays arrays)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(arrays);
        int d = arrays.NumberOfComponents;
        if (d <= 0)
            throw new ArgumentOutOfRangeException(nameof(arrays), d, "NumberOfComponents must be positive.");
        if (arrays.TrainedUsers is null || arrays.TrainedUsers.Length != users.Count)
            throw new ArgumentException($"TrainedUsers must have one entry per user ({users.Count}).", nameof(arrays));
        if (arrays.EpochsTrained < 0)
            throw new ArgumentOutOfRangeException(nameof(arrays), arrays.EpochsTrained, "EpochsTrained must be >= 0.");
        var userSide = RebuildSide("User", users.Count, arrays.UserIdentityFeatures, arrays.UserSideFeatures, d, arrays.LearningSchedule,
            arrays.UserEmbeddings, arrays.UserBiases, arrays.UserEmbeddingAccumulators, arrays.UserBiasAccumulators, arrays.UserEmbeddingDeltas, arrays.UserBiasDeltas);
        var itemSide = RebuildSide("Item", items.Count, arrays.ItemIdentityFeatures, arrays.ItemSideFeatures, d, arrays.LearningSchedule,
            arrays.ItemEmbeddings, arrays.ItemBiases, arrays.ItemEmbeddingAccumulators, arrays.ItemBiasAccumulators, arrays.ItemEmbeddingDeltas, arrays.ItemBiasDeltas);
        return new WarpModelParameters(users, items, userSide, itemSide, arrays.UserIdentityFeatures, arrays.ItemIdentityFeatures,
            arrays.UserSideFeatures, arrays.ItemSideFeatures, arrays.LearningSchedule, (bool[])arrays.TrainedUsers.Clone(), arrays.EpochsTrained);
    }

    private static WarpSide RebuildSide(string name, int rows, bool identity, CsrMatrix? side, int d, WarpLearningSchedule schedule,
        float[] embeddings, float[] biases, float[] embAcc, float[] biasAcc, float[]? embDeltas, float[]? biasDeltas)
    {
        if (side is not null && side.Rows != rows)
            throw new ArgumentException($"{name}SideFeatures has {side.Rows} rows; expected {rows}.", "arrays");
        var features = WarpFeatureSpace.Combine(rows, identity, side);
        int n = features.Columns;
        Check(embeddings, n * d, $"{name}Embeddings");
        Check(biases, n, $"{name}Biases");
        Check(embAcc, n * d, $"{name}EmbeddingAccumulators");
        Check(biasAcc, n, $"{name}BiasAccumulators");
        bool adadelta = schedule == WarpLearningSchedule.Adadelta;
        if (adadelta)
        {
            Check(embDeltas, n * d, $"{name}EmbeddingDeltas");
            Check(biasDeltas, n, $"{name}BiasDeltas");
        }
        return new WarpSide(features, d, WarpSide.Interleave(embeddings, biases, d), WarpSide.Interleave(embAcc, biasAcc, d),
            adadelta ? WarpSide.Interleave(embDeltas!, biasDeltas!, d) : null);
    }

    private static void Check(float[]? array, int length, string name)
    {
        if (array is null || array.Length != length)
            throw new ArgumentException($"{name} must have length {length}; got {(array is null ? "null" : array.Length.ToString())}.", "arrays");
    }
}
