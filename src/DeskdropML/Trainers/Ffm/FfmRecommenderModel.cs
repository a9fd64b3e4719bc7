using System.Numerics.Tensors;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace DeskdropML.Trainers.Ffm;

/// <summary>
/// A field-aware factorization machine trained by ML.NET on (one-hot user, one-hot item), scored directly from its
/// learned weights.
/// </summary>
/// <remarks>
/// <para>ML.NET's FFM response for a row with features x_j in fields f(j) is
/// <c>ŷ = Σ_j w_j x_j + Σ_{j &lt; j'} ⟨v_{j, f(j')}, v_{j', f(j)}⟩ x_j x_j'</c>
/// (interactions inside one field vanish for one-hot fields). Here a row has one user feature u (field 0) and one
/// item feature i (field 1, feature index |users| + i), both with value s: s = 1/√2 when features are normalized
/// (the row is scaled to unit length), else 1. So
/// <c>score(u, i) = s (w_u + w_i) + s² ⟨v_{u,1}, v_{i,0}⟩</c>, the raw <c>Score</c> column of the ML.NET transformer
/// (its probability is the logistic of it, so rankings agree).</para>
/// <para>That is a dot-product model: packed user <c>[s² v_{u,1}, s w_u, 1]</c>, packed item <c>[v_{i,0}, 1, s w_i]</c>.</para>
/// </remarks>
public sealed class FfmRecommenderModel : IFactorizationModel
{
    private readonly float[] _userFactors;   // users x d, already multiplied by s²
    private readonly float[] _itemFactors;   // items x d
    private readonly float[] _userBias;      // s w_u
    private readonly float[] _itemBias;      // s w_i
    private readonly bool[] _hasTraining;

    private FfmRecommenderModel(IdMap users, IdMap items, int dimension, float[] userFactors, float[] itemFactors,
        float[] userBias, float[] itemBias, bool[] hasTraining, ITransformer transformer, FieldAwareFactorizationMachineModelParameters parameters)
    {
        Users = users;
        Items = items;
        Dimension = dimension;
        _userFactors = userFactors;
        _itemFactors = itemFactors;
        _userBias = userBias;
        _itemBias = itemBias;
        _hasTraining = hasTraining;
        Transformer = transformer;
        Parameters = parameters;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>
    /// The fitted ML.NET chain: consumes string columns <see cref="FfmRecommender.UserIdColumnName"/> and
    /// <see cref="FfmRecommender.ItemIdColumnName"/> and adds <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>.
    /// </summary>
    public ITransformer Transformer { get; }

    /// <summary>The learned ML.NET model parameters the scores are read from.</summary>
    public FieldAwareFactorizationMachineModelParameters Parameters { get; }

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        int items = Items.Count;
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
        if (scores.Length != items)
            throw new ArgumentException($"scores has length {scores.Length}; it must hold one score per item ({items}).", nameof(scores));
        int d = Dimension;
        ReadOnlySpan<float> user = _userFactors.AsSpan(userIndex * d, d);
        ReadOnlySpan<float> itemFactors = _itemFactors;
        float userBias = _userBias[userIndex];
        for (int i = 0; i < items; i++)
            scores[i] = TensorPrimitives.Dot(user, itemFactors.Slice(i * d, d));
        TensorPrimitives.Add(scores, _itemBias, scores);
        TensorPrimitives.Add(scores, userBias, scores);
    }

    /// <summary>The score of one (user, item) pair (see the remarks for the formula).</summary>
    public float Score(int userIndex, int itemIndex)
    {
        int d = Dimension;
        return TensorPrimitives.Dot(_userFactors.AsSpan(userIndex * d, d), _itemFactors.AsSpan(itemIndex * d, d))
            + _userBias[userIndex] + _itemBias[itemIndex];
    }

    /// <inheritdoc />
    public void GetPackedUserVector(int userIndex, Span<float> packed)
    {
        int d = Dimension;
        _userFactors.AsSpan(userIndex * d, d).CopyTo(packed);
        packed[d] = _userBias[userIndex];
        packed[d + 1] = 1f;
    }

    /// <inheritdoc />
    public void GetPackedItemVector(int itemIndex, Span<float> packed)
    {
        int d = Dimension;
        _itemFactors.AsSpan(itemIndex * d, d).CopyTo(packed);
        packed[d] = 1f;
        packed[d + 1] = _itemBias[itemIndex];
    }

    /// <inheritdoc />
    public bool HasTrainingInteractions(int userIndex) => _hasTraining[userIndex];

    /// <summary>Reads the weights of a fitted ML.NET FFM whose field 0 is the user one-hot and field 1 the item one-hot.</summary>
    internal static FfmRecommenderModel FromParameters(ITransformer transformer, FieldAwareFactorizationMachineModelParameters parameters,
        bool normalized, CsrMatrix train, IdMap users, IdMap items)
    {
        int userCount = users.Count, itemCount = items.Count;
        if (parameters.FieldCount != 2 || parameters.FeatureCount != userCount + itemCount)
            throw new InvalidOperationException(
                $"Expected an FFM with 2 fields and {userCount + itemCount} features; got {parameters.FieldCount} fields and {parameters.FeatureCount} features.");
        int d = parameters.LatentDimension;
        const int fields = 2;
        var linear = parameters.GetLinearWeights();
        var latent = parameters.GetLatentWeights();
        float s = normalized ? 1f / MathF.Sqrt(2f) : 1f;
        float s2 = normalized ? 0.5f : 1f;

        var userFactors = new float[userCount * d];
        var userBias = new float[userCount];
        for (int u = 0; u < userCount; u++)
        {
            // v_{u, item field}: feature u, field 1.
            int offset = u * fields * d + 1 * d;
            for (int k = 0; k < d; k++) userFactors[u * d + k] = s2 * latent[offset + k];
            userBias[u] = s * linear[u];
        }
        var itemFactors = new float[itemCount * d];
        var itemBias = new float[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            // v_{i, user field}: feature |users| + i, field 0.
            int feature = userCount + i;
            int offset = feature * fields * d;
            for (int k = 0; k < d; k++) itemFactors[i * d + k] = latent[offset + k];
            itemBias[i] = s * linear[feature];
        }
        var hasTraining = new bool[userCount];
        for (int u = 0; u < userCount; u++) hasTraining[u] = train.RowLength(u) > 0;
        return new FfmRecommenderModel(users, items, d, userFactors, itemFactors, userBias, itemBias, hasTraining, transformer, parameters);
    }
}
