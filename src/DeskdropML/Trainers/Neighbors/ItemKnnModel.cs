using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Neighbors;

/// <summary>
/// A trained item-kNN model: the sparse items x items matrix <see cref="Neighbors"/> (row j = the kept neighbours i of
/// item j with their similarity <c>S_ji</c>) and the users' history weights; <c>score(u, i) = Σ_j h_uj S_ji</c>
/// (see <see cref="ItemKnnTrainer"/> and, for the packed view and summation order, <see cref="ItemItemModel"/>).
/// </summary>
/// <remarks>Immutable. Memory: the history plus at most K (index, similarity) pairs per item; the transposed
/// neighbour matrix (for the packed item vectors, i.e. columns of S) is built on first use.</remarks>
public sealed class ItemKnnModel : ItemItemModel
{
    private readonly ItemKnnTrainer.Options _options;
    private readonly Lazy<CsrMatrix> _byColumn;

    internal ItemKnnModel(IdMap users, IdMap items, CsrMatrix history, CsrMatrix neighbors, ItemKnnTrainer.Options options)
        : base(users, items, history)
    {
        if (neighbors.Rows != items.Count || neighbors.Columns != items.Count)
            throw new ArgumentException($"The neighbour matrix is {neighbors.Rows} x {neighbors.Columns}; expected items x items = {items.Count} x {items.Count}.", nameof(neighbors));
        var values = neighbors.Values;
        for (int p = 0; p < values.Length; p++)
            if (!float.IsFinite(values[p]))
                throw new ArgumentException($"Stored similarity {p} is {values[p]}; similarities must be finite.", nameof(neighbors));
        Neighbors = neighbors;
        _options = options;
        _byColumn = new Lazy<CsrMatrix>(neighbors.Transpose, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Rebuilds a model from its parts (for persistence or tests).
    /// </summary>
    /// <param name="users">User ids (rows of <paramref name="history"/>).</param>
    /// <param name="items">Item ids.</param>
    /// <param name="history">Users x items weights the model scores with.</param>
    /// <param name="neighbors">Items x items similarities, row j = neighbours of item j.</param>
    /// <param name="options">The options the neighbours were computed with (copied and validated).</param>
    /// <exception cref="ArgumentException">A shape does not match or a value is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static ItemKnnModel Create(IdMap users, IdMap items, CsrMatrix history, CsrMatrix neighbors, ItemKnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.Validate();
        return new ItemKnnModel(users, items, history, neighbors, copy);
    }

    /// <summary>The kept neighbours: row j holds the items i with similarity <c>S_ji</c> (columns sorted).</summary>
    public CsrMatrix Neighbors { get; }

    /// <summary>A copy of the options the model was trained with.</summary>
    public ItemKnnTrainer.Options TrainingOptions => _options.Clone();

    /// <inheritdoc />
    protected override void AccumulateRow(int itemIndex, float weight, Span<float> scores)
    {
        var indices = Neighbors.RowIndices(itemIndex);
        var similarities = Neighbors.RowValues(itemIndex);
        for (int n = 0; n < indices.Length; n++)
        {
            ref float s = ref scores[indices[n]];
            s = MathF.FusedMultiplyAdd(similarities[n], weight, s);
        }
    }

    /// <inheritdoc />
    protected override void WriteColumn(int itemIndex, Span<float> column)
    {
        column.Clear();
        var byColumn = _byColumn.Value;
        var sources = byColumn.RowIndices(itemIndex);
        var similarities = byColumn.RowValues(itemIndex);
        for (int n = 0; n < sources.Length; n++) column[sources[n]] = similarities[n];
    }

    /// <inheritdoc />
    protected override void WriteRow(int itemIndex, Span<float> row)
    {
        row.Fill(float.NaN);
        var indices = Neighbors.RowIndices(itemIndex);
        var similarities = Neighbors.RowValues(itemIndex);
        for (int n = 0; n < indices.Length; n++) row[indices[n]] = similarities[n];
    }
}
