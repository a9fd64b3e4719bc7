using System.Globalization;
using DeskdropML.Memory;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Persistence;

/// <summary>
/// A factorization model held as plain arrays: what <see cref="FactorizationModelZip"/> writes and reads back.
/// It scores like the model it was taken from (the same packed vectors, bit for bit), carries the training
/// matrix for known-item exclusion and the fallback scores for cold users, and scores whole catalogues fast
/// through a <see cref="PackedItemMatrix"/>.
/// </summary>
public sealed class StoredFactorizationModel : IFactorizationModel
{
    private readonly float[] _userVectors;   // Users.Count x PackedLength, row-major
    private readonly float[] _itemVectors;   // Items.Count x PackedLength, row-major
    private readonly bool[] _hasTraining;
    private readonly float[] _fallbackScores;
    private readonly PackedItemMatrix _scorer;

    internal StoredFactorizationModel(string modelKind, string userIdColumnName, string itemIdColumnName,
        IdMap users, IdMap items, int dimension, float[] userVectors, float[] itemVectors, bool[] hasTraining,
        CsrMatrix trainingInteractions, float[] fallbackScores, IdEncoding? userIdEncoding = null, IdEncoding? itemIdEncoding = null)
    {
        ModelKind = modelKind;
        UserIdEncoding = userIdEncoding ?? IdEncoding.Text;
        ItemIdEncoding = itemIdEncoding ?? IdEncoding.Text;
        UserIdColumnName = userIdColumnName;
        ItemIdColumnName = itemIdColumnName;
        Users = users;
        Items = items;
        Dimension = dimension;
        _userVectors = userVectors;
        _itemVectors = itemVectors;
        _hasTraining = hasTraining;
        TrainingInteractions = trainingInteractions;
        _fallbackScores = fallbackScores;
        _scorer = new PackedItemMatrix(this);
    }

    /// <summary>Copies the state of a scoring transformer (its model, training matrix, fallback and column names).</summary>
    /// <remarks>Memory: dense packed vectors, <c>4P × (U + 2I)</c> bytes for P = Dimension + 2 (user and item vectors
    /// and the tiled item copy that scores catalogues), checked with <see cref="MemoryBudget"/> first: for the
    /// content model P is the vocabulary size + 2, so a large vocabulary times many users is refused here.</remarks>
    /// <exception cref="MemoryBudgetException">The dense vectors would not fit.</exception>
    public static StoredFactorizationModel From(FactorizationScoringTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var model = transformer.Model;
        int packed = model.Dimension + 2;
        double users = model.Users.Count, items = model.Items.Count;
        MemoryBudget.Require(
            string.Create(CultureInfo.InvariantCulture, $"Storing {users:N0} user and {items:N0} item vectors of {packed:N0} floats"),
            "Dimension", model.Dimension, 4.0 * packed * (users + 2 * items), packed * Math.Max(users, items));
        var userVectors = new float[checked(model.Users.Count * packed)];
        var hasTraining = new bool[model.Users.Count];
        for (int u = 0; u < model.Users.Count; u++)
        {
            model.GetPackedUserVector(u, userVectors.AsSpan(u * packed, packed));
            hasTraining[u] = model.HasTrainingInteractions(u);
        }
        var itemVectors = new float[checked(model.Items.Count * packed)];
        for (int i = 0; i < model.Items.Count; i++)
            model.GetPackedItemVector(i, itemVectors.AsSpan(i * packed, packed));
        return new StoredFactorizationModel(transformer.ModelKind, transformer.UserIdColumnName, transformer.ItemIdColumnName,
            model.Users, model.Items, model.Dimension, userVectors, itemVectors, hasTraining,
            transformer.TrainingInteractions, transformer.FallbackScores.ToArray(), transformer.UserIdEncoding, transformer.ItemIdEncoding);
    }

    /// <summary>Short name of the trainer that produced the model (e.g. "warp", "als").</summary>
    public string ModelKind { get; }

    /// <summary>User id column the model was trained and scores with.</summary>
    public string UserIdColumnName { get; }

    /// <summary>Item id column the model was trained and scores with.</summary>
    public string ItemIdColumnName { get; }

    /// <summary>How the user id column the model was trained on maps to its user ids.</summary>
    internal IdEncoding UserIdEncoding { get; }

    /// <summary>How the item id column the model was trained on maps to its item ids.</summary>
    internal IdEncoding ItemIdEncoding { get; }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Length of a packed vector: <see cref="Dimension"/> + 2.</summary>
    public int PackedLength => Dimension + 2;

    /// <summary>The user x item training matrix (known items).</summary>
    public CsrMatrix TrainingInteractions { get; }

    /// <summary>Fallback score of every item for cold users (normally popularity).</summary>
    public ReadOnlySpan<float> FallbackScores => _fallbackScores;

    /// <summary>All packed user vectors, row-major (<c>Users.Count x PackedLength</c>).</summary>
    public ReadOnlySpan<float> PackedUserVectors => _userVectors;

    /// <summary>All packed item vectors, row-major (<c>Items.Count x PackedLength</c>).</summary>
    public ReadOnlySpan<float> PackedItemVectors => _itemVectors;

    /// <inheritdoc />
    public void GetPackedUserVector(int userIndex, Span<float> packed)
    {
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
        CheckLength(packed);
        _userVectors.AsSpan(userIndex * PackedLength, PackedLength).CopyTo(packed);
    }

    /// <inheritdoc />
    public void GetPackedItemVector(int itemIndex, Span<float> packed)
    {
        if ((uint)itemIndex >= (uint)Items.Count)
            throw new ArgumentOutOfRangeException(nameof(itemIndex), itemIndex, $"Item index must be in [0, {Items.Count}).");
        CheckLength(packed);
        _itemVectors.AsSpan(itemIndex * PackedLength, PackedLength).CopyTo(packed);
    }

    /// <inheritdoc />
    public bool HasTrainingInteractions(int userIndex)
    {
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
        return _hasTraining[userIndex];
    }

    /// <summary>
    /// Writes <c>packedUser · packedItem</c> for every item (see <see cref="PackedItemMatrix"/> for the summation order).
    /// </summary>
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
        _scorer.Score(_userVectors.AsSpan(userIndex * PackedLength, PackedLength), scores);
    }

    /// <summary>A top-k recommender over this model, its training matrix and its fallback scores.</summary>
    public Recommender CreateRecommender() => new(this, TrainingInteractions, _fallbackScores);

    private void CheckLength(Span<float> packed)
    {
        if (packed.Length != PackedLength)
            throw new ArgumentException($"packed has length {packed.Length}; expected Dimension + 2 = {PackedLength}.", nameof(packed));
    }
}
