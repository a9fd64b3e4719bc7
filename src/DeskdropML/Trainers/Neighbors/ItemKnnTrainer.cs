using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Neighbors;

/// <summary>
/// Item-based nearest neighbours (item-kNN), as <c>implicit</c>'s <c>CosineRecommender</c>, <c>TFIDFRecommender</c> and
/// <c>BM25Recommender</c>: an item-item similarity from the training matrix, pruned to each item's K nearest
/// neighbours, and scores that sum the neighbours of the user's items.
/// </summary>
/// <remarks>
/// <para><b>Similarity.</b> The strengths <c>r_ui</c> are weighted into <c>w_ui</c> (<see cref="ItemKnnWeighting"/>:
/// cosine, TF-IDF or BM25) and <c>S_ij = Σ_u w_ui w_uj</c>. Row i of the model keeps the <see cref="Options.NumberOfNeighbors"/>
/// largest <c>S_ij</c> among the items j that share a user with i — i itself included, as in <c>implicit</c>
/// (it never matters for ranking unseen items, since a user's own items are excluded).</para>
/// <para><b>Scores.</b> <c>score(u, i) = Σ_{j in history(u)} h_uj S_ji</c> over the kept neighbours, where
/// <c>h_uj</c> is the user's raw strength (the weighting only shapes the similarity, as <c>implicit</c>'s
/// <c>recommend</c> multiplies the similarity rows by the user's raw row) or, for recency weighting, a time-decayed
/// strength given as the <c>history</c> matrix of <see cref="Fit"/>. Items no history item points to score 0; ties are
/// broken by the lower item index (where <c>implicit</c> returns only the touched items).</para>
/// <para><b>Cost and memory.</b> Fit: <c>Σ_u n_u²</c> multiply-adds spread over <see cref="Options.NumberOfThreads"/>
/// threads, memory linear in the stored entries and the items (see <c>ItemKnnSimilarity</c>); the model keeps at most
/// K (index, similarity) pairs per item. The result is deterministic and independent of the thread count.</para>
/// </remarks>
public sealed class ItemKnnTrainer
{
    /// <summary>Options of <see cref="ItemKnnTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>Neighbours K kept per item (the item itself counts, as in <c>implicit</c>). Default 20; must be &gt;= 1.</summary>
        public int NumberOfNeighbors = 20;

        /// <summary>Weighting of the strengths before the similarity. Default <see cref="ItemKnnWeighting.Cosine"/>.</summary>
        public ItemKnnWeighting Weighting = ItemKnnWeighting.Cosine;

        /// <summary>BM25 term-frequency saturation K1. Default 1.2 (as <c>implicit</c>'s <c>BM25Recommender</c>); must be finite and &gt;= 0.</summary>
        public float Bm25K1 = 1.2f;

        /// <summary>BM25 length normalisation B. Default 0.75 (as <c>implicit</c>'s <c>BM25Recommender</c>); must be in [0, 1].</summary>
        public float Bm25B = 0.75f;

        /// <summary>Worker threads for the similarity. Default 1; must be &gt;= 1. Results do not depend on it.</summary>
        public int NumberOfThreads = 1;

        /// <summary>Name of the user id column (for the ML.NET estimator). Default "UserId".</summary>
        public string UserIdColumnName = "UserId";

        /// <summary>Name of the item id column (for the ML.NET estimator). Default "ItemId".</summary>
        public string ItemIdColumnName = "ItemId";

        /// <summary>
        /// Name of the float strength column read by the ML.NET estimator; <c>null</c> (default) gives every row
        /// strength 1. Duplicate (user, item) rows are summed.
        /// </summary>
        public string? LabelColumnName;

        internal Options Clone() => (Options)MemberwiseClone();

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
        internal void Validate()
        {
            if (NumberOfNeighbors < 1)
                throw new ArgumentOutOfRangeException(nameof(NumberOfNeighbors), NumberOfNeighbors, "NumberOfNeighbors must be >= 1.");
            if (!Enum.IsDefined(Weighting))
                throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, "Weighting must be Cosine, TfIdf or Bm25.");
            if (!float.IsFinite(Bm25K1) || Bm25K1 < 0)
                throw new ArgumentOutOfRangeException(nameof(Bm25K1), Bm25K1, "Bm25K1 must be a finite number >= 0.");
            if (!(Bm25B >= 0 && Bm25B <= 1))
                throw new ArgumentOutOfRangeException(nameof(Bm25B), Bm25B, "Bm25B must be in [0, 1].");
            OptionChecks.ThreadsAndColumns(NumberOfThreads, UserIdColumnName, ItemIdColumnName);
        }
    }

    private readonly Options _options;

    /// <summary>Creates a trainer; the options are validated and copied.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names it).</exception>
    public ItemKnnTrainer(Options? options = null)
    {
        _options = (options ?? new Options()).Clone();
        _options.Validate();
    }

    /// <summary>
    /// Computes the neighbours from a users x items matrix of strengths <c>r &gt;= 0</c> and returns the model.
    /// </summary>
    /// <param name="interactions">Users x items strengths (the similarity is learned from them).</param>
    /// <param name="users">Row ids.</param>
    /// <param name="items">Column ids.</param>
    /// <param name="history">Optional users x items weights the model scores with (e.g. the strengths decayed by
    /// <see cref="Data.RecencyWeighting"/>); <c>null</c> (default) scores with <paramref name="interactions"/>.</param>
    /// <exception cref="ArgumentException">A matrix does not match the maps, the interactions have no stored entry, or
    /// hold a negative or non-finite value.</exception>
    /// <exception cref="Memory.MemoryBudgetException">The similarity would not fit the memory budget (checked before allocating).</exception>
    public ItemKnnModel Fit(CsrMatrix interactions, IdMap users, IdMap items, CsrMatrix? history = null)
    {
        TrainingInput.Validate(interactions, users, items, "Item-kNN");
        double k = Math.Min(_options.NumberOfNeighbors, Math.Max(1, items.Count));
        Memory.MemoryBudget.Require($"Item-kNN with {k:N0} neighbours for {items.Count:N0} items", nameof(Options.NumberOfNeighbors), _options.NumberOfNeighbors,
            28.0 * interactions.NonZeroCount + 16 * k * items.Count + 13.0 * items.Count * _options.NumberOfThreads, k * items.Count);
        var weights = ItemKnnSimilarity.Weights(interactions, _options.Weighting, _options.Bm25K1, _options.Bm25B);
        var neighbors = ItemKnnSimilarity.TopNeighbors(interactions, weights, _options.NumberOfNeighbors, _options.NumberOfThreads);
        return new ItemKnnModel(users, items, history ?? interactions, neighbors, _options.Clone());
    }
}
