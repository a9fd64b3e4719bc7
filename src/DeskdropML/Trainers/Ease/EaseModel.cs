using System.Numerics.Tensors;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Ease;

/// <summary>
/// A trained EASE model: the dense items x items weights B (row j = what having item j adds to every item, zero
/// diagonal) and the users' history weights; <c>score(u, i) = Σ_j h_uj B_ji</c> (see <see cref="EaseTrainer"/> and,
/// for the packed view and summation order, <see cref="ItemItemModel"/>).
/// </summary>
/// <remarks>Immutable. Memory: <c>4 n²</c> bytes for B (36 MB for Deskdrop's 2,984 items) plus the history. Scoring a
/// user adds one row of B per history item (vectorised fused multiply-adds).</remarks>
public sealed class EaseModel : ItemItemModel
{
    private readonly float[] _weights;
    private readonly EaseTrainer.Options _options;

    internal EaseModel(IdMap users, IdMap items, CsrMatrix history, float[] weights, EaseTrainer.Options options)
        : base(users, items, history)
    {
        _weights = weights;
        _options = options;
    }

    /// <summary>Rebuilds a model from its parts (for persistence or tests). The weights are copied.</summary>
    /// <param name="users">User ids (rows of <paramref name="history"/>).</param>
    /// <param name="items">Item ids.</param>
    /// <param name="history">Users x items weights the model scores with.</param>
    /// <param name="weights">B, items x items, row-major; the diagonal must be 0.</param>
    /// <param name="options">The options B was learned with (copied and validated).</param>
    /// <exception cref="ArgumentException">A shape does not match, a weight is not finite or the diagonal is not 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static EaseModel Create(IdMap users, IdMap items, CsrMatrix history, ReadOnlySpan<float> weights, EaseTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.Validate();
        int n = items.Count;
        if (weights.Length != (long)n * n)
            throw new ArgumentException($"weights has {weights.Length} values; expected items x items = {n} x {n}.", nameof(weights));
        for (int p = 0; p < weights.Length; p++)
            if (!float.IsFinite(weights[p]))
                throw new ArgumentException($"Weight {p} is {weights[p]}; weights must be finite.", nameof(weights));
        for (int i = 0; i < n; i++)
            if (weights[i * n + i] != 0f)
                throw new ArgumentException($"The diagonal weight of item {i} is {weights[i * n + i]}; EASE's diagonal is 0.", nameof(weights));
        return new EaseModel(users, items, history, weights.ToArray(), copy);
    }

    /// <summary>B, items x items, row-major: <c>Weights[j * n + i] = B_ji</c>.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>A copy of the options the model was trained with.</summary>
    public EaseTrainer.Options TrainingOptions => _options.Clone();

    /// <summary>The weight <c>B_ji</c> from item j to item i.</summary>
    public float GetWeight(int fromItem, int toItem)
    {
        CheckItem(fromItem);
        CheckItem(toItem);
        return _weights[(long)fromItem * Items.Count + toItem];
    }

    /// <inheritdoc />
    protected override void AccumulateRow(int itemIndex, float weight, Span<float> scores)
    {
        int n = Items.Count;
        TensorPrimitives.FusedMultiplyAdd(_weights.AsSpan(itemIndex * n, n), weight, scores, scores);
    }

    /// <inheritdoc />
    protected override void WriteColumn(int itemIndex, Span<float> column)
    {
        int n = Items.Count;
        for (int j = 0; j < n; j++) column[j] = _weights[(long)j * n + itemIndex];
    }

    /// <inheritdoc />
    protected override void WriteRow(int itemIndex, Span<float> row)
    {
        int n = Items.Count;
        _weights.AsSpan(itemIndex * n, n).CopyTo(row);
    }
}
