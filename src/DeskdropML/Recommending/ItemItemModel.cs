using DeskdropML.Sparse;

namespace DeskdropML.Recommending;

/// <summary>
/// A linear item-to-item model: a user's score for item i is a weighted sum, over the items j of the user's history,
/// of an item-to-item weight, <c>score(u, i) = Σ_j h_uj S[j, i]</c>, i.e. the row vector <c>h_u S</c>. Item-kNN
/// (<c>S</c> = the top-K neighbour similarities, sparse) and EASE (<c>S</c> = the dense weight matrix B) have this form.
/// </summary>
/// <remarks>
/// <para><b>History.</b> <c>h_u</c> is row u of <see cref="History"/>: the user's training strengths, optionally
/// time-decayed by the caller. A user whose history row has no stored entry is unknown to the model
/// (<see cref="HasTrainingInteractions"/> false) and is ranked by the recommenders' popularity fallback.</para>
/// <para><b>As a factorization.</b> The same scores are an inner product in a latent space whose dimensions are the
/// items (<see cref="Dimension"/> = <c>Items.Count</c>): packed user vector <c>[h_u (dense), 0, 1]</c>, packed item
/// vector <c>[S[:, i], 1, 0]</c> (column i). That view lets these models use the shared scoring transformer, the model
/// zip and the contract tests unchanged.</para>
/// <para><b>Memory model.</b> The packed view is dense: the ML.NET transformer and the zip hold
/// <c>(warm users + items) x (items + 2)</c> floats — about 50 MB for Deskdrop's 1,140 x 2,984, but 8 GB for an
/// 80,000 x 20,000 log. Top-k never uses it: <see cref="Recommender"/> scores an item-item model through
/// <see cref="ScoreItems"/>, which touches only the user's history rows of <c>S</c> (O(|h_u| x row length) work, one
/// output buffer of <c>Items.Count</c> floats).</para>
/// <para><b>Bit-exact agreement.</b> <see cref="ScoreItems"/> visits the user's items in increasing index order and
/// updates every score with one fused multiply-add per stored weight, <c>acc = fma(S[j, i], h_uj, acc)</c> from 0 —
/// the operation sequence <see cref="PackedItemMatrix"/> performs on the packed vectors (its products with zero
/// entries leave the sum unchanged). A model reloaded from a zip therefore scores with the same bits.</para>
/// </remarks>
public abstract class ItemItemModel : IFactorizationModel
{
    /// <summary>Initialises the maps and the history.</summary>
    /// <param name="users">Row ids of <paramref name="history"/>.</param>
    /// <param name="items">Column ids of <paramref name="history"/> (and both sides of the item-item matrix).</param>
    /// <param name="history">Users x items weights <c>h</c> (normally the training strengths).</param>
    /// <exception cref="ArgumentException">The history's shape does not match the maps or it holds a non-finite value.</exception>
    protected ItemItemModel(IdMap users, IdMap items, CsrMatrix history)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(history);
        if (history.Rows != users.Count || history.Columns != items.Count)
            throw new ArgumentException($"The history matrix is {history.Rows} x {history.Columns} but there are {users.Count} users and {items.Count} items.", nameof(history));
        var values = history.Values;
        for (int p = 0; p < values.Length; p++)
            if (!float.IsFinite(values[p]))
                throw new ArgumentException($"Stored entry {p} of the history matrix is {values[p]}; weights must be finite.", nameof(history));
        Users = users;
        Items = items;
        History = history;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>The users x items history weights <c>h</c> that scores are computed from.</summary>
    public CsrMatrix History { get; }

    /// <summary>The latent dimension of the packed view: the number of items.</summary>
    public int Dimension => Items.Count;

    /// <summary>
    /// Largest dense packed view (<see cref="PackedViewFloats"/>) the ML.NET estimators and <c>deskdrop train</c> build:
    /// 2^28 floats (1 GiB). Above it they refuse with a message; the trainers' models (sparse top-k) have no such limit.
    /// </summary>
    public const long MaxPackedViewFloats = 1L << 28;

    /// <summary>Floats of the dense packed view of a model with that many users and items: <c>(users + items) x (items + 2)</c>.</summary>
    public static long PackedViewFloats(int users, int items) => ((long)users + items) * ((long)items + 2);

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> when the dense packed view of <paramref name="users"/> x
    /// <paramref name="items"/> would exceed <see cref="MaxPackedViewFloats"/>, naming the size and the alternative.
    /// </summary>
    /// <param name="users">Number of users.</param>
    /// <param name="items">Number of items.</param>
    /// <param name="model">The model's name for the message (e.g. "item-kNN").</param>
    public static void EnsurePackedViewFits(int users, int items, string model)
    {
        long floats = PackedViewFloats(users, items);
        if (floats > MaxPackedViewFloats)
            throw new InvalidOperationException(
                $"{model} as an ML.NET transformer or model zip stores dense packed vectors, (users + items) x (items + 2) = " +
                $"({users:N0} + {items:N0}) x {items + 2:N0} floats = {floats * 4.0 / (1 << 30):0.0} GiB, above the limit of " +
                $"{MaxPackedViewFloats * 4 >> 30} GiB. Use the trainer directly (its model scores sparsely for top-k and evaluation).");
    }

    /// <inheritdoc />
    public bool HasTrainingInteractions(int userIndex)
    {
        CheckUser(userIndex);
        return History.RowLength(userIndex) > 0;
    }

    /// <summary>Writes <c>Σ_j h_uj S[j, i]</c> for every item i (see the remarks for the summation order).</summary>
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        CheckUser(userIndex);
        ScoreHistory(History.RowIndices(userIndex), History.RowValues(userIndex), scores);
    }

    /// <summary>
    /// Scores any history — a new user's, or an edited one — without refitting: <c>scores[i] = Σ_n weights[n]
    /// S[items[n], i]</c>.
    /// </summary>
    /// <param name="itemIndices">The history's items, strictly increasing indices into <see cref="Items"/>.</param>
    /// <param name="weights">Their weights, aligned with <paramref name="itemIndices"/>; finite.</param>
    /// <param name="scores">Receives one score per item (length <c>Items.Count</c>).</param>
    /// <exception cref="ArgumentException">Lengths differ, indices are not strictly increasing, or a weight is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An item index is outside the catalogue.</exception>
    public void ScoreHistory(ReadOnlySpan<int> itemIndices, ReadOnlySpan<float> weights, Span<float> scores)
    {
        if (itemIndices.Length != weights.Length)
            throw new ArgumentException($"weights has {weights.Length} values but itemIndices has {itemIndices.Length}; they must align.", nameof(weights));
        if (scores.Length != Items.Count)
            throw new ArgumentException($"scores has length {scores.Length}; expected one per item ({Items.Count}).", nameof(scores));
        for (int n = 0; n < itemIndices.Length; n++)
        {
            if ((uint)itemIndices[n] >= (uint)Items.Count)
                throw new ArgumentOutOfRangeException(nameof(itemIndices), itemIndices[n], $"Item index at position {n} must be in [0, {Items.Count}).");
            if (n > 0 && itemIndices[n] <= itemIndices[n - 1])
                throw new ArgumentException($"Item indices must be strictly increasing; position {n} holds {itemIndices[n]} after {itemIndices[n - 1]}.", nameof(itemIndices));
            if (!float.IsFinite(weights[n]))
                throw new ArgumentException($"Weight at position {n} is {weights[n]}; weights must be finite.", nameof(weights));
        }
        scores.Clear();
        for (int n = 0; n < itemIndices.Length; n++) AccumulateRow(itemIndices[n], weights[n], scores);
    }

    /// <inheritdoc />
    public void GetPackedUserVector(int userIndex, Span<float> packed)
    {
        CheckUser(userIndex);
        CheckPacked(packed);
        packed.Clear();
        var indices = History.RowIndices(userIndex);
        var values = History.RowValues(userIndex);
        for (int n = 0; n < indices.Length; n++) packed[indices[n]] = values[n];
        packed[Dimension + 1] = 1f;
    }

    /// <inheritdoc />
    public void GetPackedItemVector(int itemIndex, Span<float> packed)
    {
        CheckItem(itemIndex);
        CheckPacked(packed);
        WriteColumn(itemIndex, packed[..Dimension]);
        packed[Dimension] = 1f;
        packed[Dimension + 1] = 0f;
    }

    /// <summary>
    /// The <paramref name="k"/> items with the largest stored weights in row <paramref name="itemIndex"/> of the
    /// item-item matrix — what a user who has only that item would be recommended — best first, the item itself left
    /// out; ties by lower item index. Fewer than k come back when the row stores fewer entries (item-kNN).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> &lt; 1 or the index is outside the catalogue.</exception>
    public IReadOnlyList<ScoredItem> SimilarItems(int itemIndex, int k = 10)
    {
        CheckItem(itemIndex);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        int n = Items.Count;
        var row = new float[n];
        WriteRow(itemIndex, row);
        var excluded = new bool[n];
        for (int i = 0; i < n; i++) excluded[i] = float.IsNaN(row[i]);
        excluded[itemIndex] = true;
        int capacity = Math.Min(k, n);
        var top = new int[capacity];
        var topScores = new float[capacity];
        int count = TopK.Select(row, capacity, top, topScores, excluded);
        var result = new ScoredItem[count];
        for (int j = 0; j < count; j++) result[j] = new ScoredItem(Items[top[j]], topScores[j]);
        return result;
    }

    /// <summary>For every stored weight <c>S[item, i]</c> of the item's row: <c>scores[i] = fma(S[item, i], weight, scores[i])</c>.</summary>
    protected abstract void AccumulateRow(int itemIndex, float weight, Span<float> scores);

    /// <summary>Writes column i of the item-item matrix, <c>S[j, i]</c> for every j (0 where nothing is stored).</summary>
    protected abstract void WriteColumn(int itemIndex, Span<float> column);

    /// <summary>Writes row j of the item-item matrix, <c>S[j, i]</c> for every i, with <see cref="float.NaN"/> where nothing is stored.</summary>
    protected abstract void WriteRow(int itemIndex, Span<float> row);

    /// <summary>Throws unless the user index is in range.</summary>
    protected void CheckUser(int userIndex)
    {
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
    }

    /// <summary>Throws unless the item index is in range.</summary>
    protected void CheckItem(int itemIndex)
    {
        if ((uint)itemIndex >= (uint)Items.Count)
            throw new ArgumentOutOfRangeException(nameof(itemIndex), itemIndex, $"Item index must be in [0, {Items.Count}).");
    }

    private void CheckPacked(Span<float> packed)
    {
        if (packed.Length != Dimension + 2)
            throw new ArgumentException($"packed has length {packed.Length}; expected items + 2 = {Dimension + 2}.", nameof(packed));
    }
}
