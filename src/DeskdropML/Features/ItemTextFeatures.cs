using DeskdropML.Sparse;

namespace DeskdropML.Features;

/// <summary>
/// Item text features: a CSR item x term matrix whose rows are aligned with an item <see cref="IdMap"/>, with the
/// vocabulary kept for inspection. Produced by <see cref="ItemTextFeaturizerTransformer.Featurize(Microsoft.ML.IDataView, IdMap)"/>.
/// </summary>
public sealed class ItemTextFeatures
{
    private readonly string[] _vocabulary;

    internal ItemTextFeatures(CsrMatrix matrix, IdMap items, string[] vocabulary, int matched, int ignored, int duplicates)
    {
        Matrix = matrix;
        Items = items;
        _vocabulary = vocabulary;
        MatchedArticles = matched;
        IgnoredArticles = ignored;
        DuplicateArticles = duplicates;
    }

    /// <summary>Items x terms; row i belongs to <c>Items[i]</c> and is empty when the item has no article.</summary>
    public CsrMatrix Matrix { get; }

    /// <summary>The item ids of the rows.</summary>
    public IdMap Items { get; }

    /// <summary>The term of every column.</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <summary>Number of items of the map that received an article.</summary>
    public int MatchedArticles { get; }

    /// <summary>Number of article rows whose id is not in the item map (skipped).</summary>
    public int IgnoredArticles { get; }

    /// <summary>Number of article rows whose id had already been seen (the last one wins).</summary>
    public int DuplicateArticles { get; }

    /// <summary>
    /// The <paramref name="n"/> highest-weighted terms of an item, best first (ties: lower column first).
    /// Fewer are returned when the item has fewer terms.
    /// </summary>
    /// <exception cref="ArgumentException">The item id is not in <see cref="Items"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public IReadOnlyList<(string Term, float Weight)> TopTerms(string itemId, int n)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!Items.TryGetIndex(itemId, out int row))
            throw new ArgumentException($"Item '{itemId}' is not in the item map.", nameof(itemId));
        var indices = Matrix.RowIndices(row);
        var values = Matrix.RowValues(row);
        var order = new int[indices.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var weights = values.ToArray();
        // Stable order: descending weight, then ascending column (positions are in column order).
        Array.Sort(order, (a, b) => weights[b].CompareTo(weights[a]) is var c && c != 0 ? c : a.CompareTo(b));
        int take = Math.Min(n, order.Length);
        var result = new (string, float)[take];
        for (int i = 0; i < take; i++) result[i] = (_vocabulary[indices[order[i]]], weights[order[i]]);
        return result;
    }
}
