using System.Globalization;
using System.Numerics.Tensors;
using DeskdropML.Memory;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Recommending;

/// <summary>
/// Top-k recommendation over a trained model with known-item exclusion and a fallback for cold users.
/// </summary>
/// <remarks>
/// <para><b>Cold users.</b> A user id the model does not know, and a known user the model has no training
/// interactions for (the rule of <see cref="ColdUserFallbackModel"/>: <see cref="IWarmUserModel.HasTrainingInteractions"/>,
/// or for other models an empty row of the known-item matrix), is ranked by the fallback scores (normally
/// popularity) — never by untrained factors. Results say so (<see cref="RecommendationList.IsFallback"/>).</para>
/// <para><b>As a model.</b> The recommender is itself an <see cref="IRecommenderModel"/> whose
/// <see cref="ScoreItems"/> gives those ranking scores (the model's, or the fallback's for a cold user), so it can be
/// handed to an evaluator as it is.</para>
/// <para><b>Order.</b> Descending score, ties by lower item index (= ordinal item id order), NaN last
/// (the rule of <see cref="TopK.Select"/>; results are identical). Selection keeps a heap of size k and rejects most
/// items with a vectorised threshold test; there is no full sort.</para>
/// <para><b>Scores.</b> For an <see cref="IFactorizationModel"/> the recommender computes
/// <c>packedUser · packedItem</c> itself with a cache-blocked <see cref="PackedItemMatrix"/> (a copy of the item
/// vectors taken at construction), so every factorization trainer gets fast single and batched top-k; the scores equal
/// the model's up to float rounding and are the same bits in <see cref="Recommend"/>, <see cref="RecommendBatch"/>
/// and <see cref="ScoreItems"/>. Other models, and <see cref="ItemItemModel"/>s (item-kNN, EASE: a
/// factorization only in a dense view whose sparse scoring is cheaper and gives the same bits), are asked through
/// <see cref="IRecommenderModel.ScoreItems"/>.</para>
/// <para><b>First pass.</b> On processors with AVX-VNNI, for catalogues of at least 1,024 items and k at most I/8,
/// <see cref="RecommendBatch"/> first bounds every score with 16-bit integer codes (<see cref="QuantizedItemMatrix"/>)
/// and scores exactly only the items that can still enter the top k — the lists are the exact path's, item for item.</para>
/// <para>All methods are safe to call from several threads at once (the model's getters must be too).</para>
/// <para><b>Memory model</b> (U users, I items, P = factors + 2 packed floats, k wanted, T threads). Kept: the
/// fallback scores <c>4I</c> bytes, the warm-user flags <c>U</c> bytes and, for a factorization model, the tiled item
/// copy <c>4P × I</c> (rounded up to 16 items) plus, with the first pass, its 16-bit codes <c>(2P + 12) × I</c>;
/// <see cref="SimilarItems"/> adds <c>4(P − 2) × I</c> on first use.
/// Per call of <see cref="Recommend"/> or <see cref="ScoreItems"/>: a score row and a mask, <c>5I</c> bytes.
/// <see cref="RecommendBatch"/> streams the users through T workers in batches of 16; each worker's scratch is sized
/// once, <c>16 × 4(I + P) + I + 8k</c> bytes (with the first pass <c>16 × 5I + 12I</c> more: a mask and a candidate
/// row per user, the candidates and one exact row; one user's row, <c>5I + 8k</c>, for models scored through
/// <see cref="IRecommenderModel.ScoreItems"/>), and the answer is <c>U × (4k + 32)</c> bytes (one array per user).
/// Nothing is users × items; <see cref="RecommendBatch"/> checks its total with <see cref="MemoryBudget"/>.</para>
/// </remarks>
public sealed class Recommender : IWarmUserModel
{
    /// <summary>Users scored together by <see cref="RecommendBatch"/> so item data is reused from cache.</summary>
    private const int UserBatch = 16;

    private readonly float[] _fallbackScores;
    private readonly ColdUserFallbackModel _scorer;
    private readonly IFactorizationModel? _factorization;
    private readonly PackedItemMatrix? _itemMatrix;
    private readonly QuantizedItemMatrix? _quantized;
    private float[]? _unitItemFactors; // items x Dimension, rows normalised; built on first SimilarItems call.

    /// <summary>Creates a recommender.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="knownInteractions">User x item matrix (<c>Users.Count x Items.Count</c>) of the items each user
    /// already has (normally the training matrix); excluded from recommendations on request.</param>
    /// <param name="fallbackScores">One score per item for cold users (normally popularity); copied.</param>
    /// <exception cref="ArgumentException">The shapes of the matrix or the fallback do not match the model.</exception>
    public Recommender(IRecommenderModel model, CsrMatrix knownInteractions, ReadOnlySpan<float> fallbackScores)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(knownInteractions);
        if (knownInteractions.Rows != model.Users.Count || knownInteractions.Columns != model.Items.Count)
            throw new ArgumentException(
                $"knownInteractions is {knownInteractions.Rows} x {knownInteractions.Columns} but the model has {model.Users.Count} users and {model.Items.Count} items.",
                nameof(knownInteractions));
        if (fallbackScores.Length != model.Items.Count)
            throw new ArgumentException($"fallbackScores has {fallbackScores.Length} entries; the model has {model.Items.Count} items.", nameof(fallbackScores));
        Model = model;
        KnownInteractions = knownInteractions;
        _fallbackScores = fallbackScores.ToArray();
        _scorer = new ColdUserFallbackModel(model, knownInteractions, fallbackScores);
        // Item-item models are factorizations only in a dense view; their own sparse scoring is far cheaper.
        if (model is IFactorizationModel factorization and not ItemItemModel)
        {
            double packed = factorization.Dimension + 2.0, items = model.Items.Count;
            MemoryBudget.Require(string.Create(CultureInfo.InvariantCulture, $"Tiling {items:N0} item vectors of {packed:N0} floats for scoring"),
                "Dimension", factorization.Dimension, 4 * packed * items, packed * items);
            _factorization = factorization;
            _itemMatrix = new PackedItemMatrix(factorization);
            // The 16-bit first pass pays off only on catalogues much larger than k; see QuantizedItemMatrix.
            if (model.Items.Count >= MinQuantizedItems) _quantized = QuantizedItemMatrix.TryCreate(factorization);
        }
    }

    /// <summary>Smallest catalogue for which <see cref="RecommendBatch"/> uses the 16-bit first pass.</summary>
    private const int MinQuantizedItems = 1024;

    /// <summary>
    /// Whether <see cref="RecommendBatch"/> may use the 16-bit first pass with exact re-scoring
    /// (<see cref="QuantizedItemMatrix"/>; same lists as the exact path). On by default; tests and benchmarks
    /// turn it off to compare.
    /// </summary>
    internal bool UseQuantizedFirstPass { get; set; } = true;

    /// <summary>True when the 16-bit first pass is available for this model on this processor.</summary>
    internal bool HasQuantizedFirstPass => _quantized is not null;

    /// <summary>Creates a recommender whose fallback is a popularity model over the same items.</summary>
    public Recommender(IRecommenderModel model, CsrMatrix knownInteractions, PopularityModel fallback)
        : this(model, knownInteractions, (fallback ?? throw new ArgumentNullException(nameof(fallback))).ItemScores)
    {
        if (fallback.Items.Count != model.Items.Count)
            throw new ArgumentException($"The fallback model has {fallback.Items.Count} items; the model has {model.Items.Count}.", nameof(fallback));
    }

    /// <summary>The model that ranks warm users.</summary>
    public IRecommenderModel Model { get; }

    /// <summary>The known items of every user.</summary>
    public CsrMatrix KnownInteractions { get; }

    /// <summary>The fallback score of every item.</summary>
    public ReadOnlySpan<float> FallbackScores => _fallbackScores;

    /// <inheritdoc />
    public IdMap Users => Model.Users;

    /// <inheritdoc />
    public IdMap Items => Model.Items;

    /// <summary>True when the user with this index is ranked by the fallback (see remarks of the class).</summary>
    public bool IsColdUser(int userIndex) => !_scorer.IsWarm(userIndex);

    /// <summary>True when the user with this index is ranked by the model (the opposite of <see cref="IsColdUser"/>).</summary>
    public bool HasTrainingInteractions(int userIndex) => _scorer.IsWarm(userIndex);

    /// <summary>
    /// Writes the scores used to rank items for a user — the model's, or the fallback for a cold user (see
    /// <see cref="IsColdUser"/>) — into <paramref name="scores"/> (length <c>Items.Count</c>). Known items are not
    /// masked; an evaluator does that.
    /// </summary>
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        if (scores.Length != Model.Items.Count)
            throw new ArgumentException($"scores has length {scores.Length}; expected one per item ({Model.Items.Count}).", nameof(scores));
        if (IsColdUser(userIndex))
        {
            _fallbackScores.CopyTo(scores);
            return;
        }
        if (_factorization is not null)
        {
            int p = _itemMatrix!.PackedLength;
            Span<float> packed = p <= 256 ? stackalloc float[p] : new float[p];
            _factorization.GetPackedUserVector(userIndex, packed);
            _itemMatrix.Score(packed, scores);
        }
        else
        {
            Model.ScoreItems(userIndex, scores);
        }
    }

    /// <summary>The top <paramref name="k"/> items for a user id.</summary>
    /// <param name="userId">External user id; an unknown id gets the fallback ranking (nothing to exclude).</param>
    /// <param name="k">Number of items wanted (at least 1); fewer are returned when fewer are eligible.</param>
    /// <param name="excludeKnown">Leave out the user's known items (default).</param>
    /// <param name="itemFilter">Optional predicate on item ids; only items for which it returns true are eligible.</param>
    public RecommendationList Recommend(string userId, int k = 10, bool excludeKnown = true, Func<string, bool>? itemFilter = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        int items = Model.Items.Count;
        var scores = new float[items];
        var excluded = new bool[items];
        bool fallback;
        if (Model.Users.TryGetIndex(userId, out int user))
        {
            fallback = IsColdUser(user);
            ScoreItems(user, scores);
            if (excludeKnown)
                foreach (int i in KnownInteractions.RowIndices(user)) excluded[i] = true;
        }
        else
        {
            fallback = true;
            _fallbackScores.CopyTo(scores, 0);
        }
        if (itemFilter is not null)
            for (int i = 0; i < items; i++)
                if (!excluded[i] && !itemFilter(Model.Items[i])) excluded[i] = true;

        int capacity = Math.Min(k, items);
        var top = new int[capacity];
        var topScores = new float[capacity];
        int n = TopK.Select(scores, capacity, top, topScores, excluded);
        var result = new ScoredItem[n];
        for (int j = 0; j < n; j++) result[j] = new ScoredItem(Model.Items[top[j]], scores[top[j]]);
        return new RecommendationList(userId, result, fallback);
    }

    /// <summary>
    /// The top <paramref name="k"/> item indices for many users at once, best first, with the same fallback and
    /// exclusion rules as <see cref="Recommend"/>. Work is spread over <paramref name="threads"/> threads with one
    /// score buffer and one exclusion mask per thread; the result does not depend on the number of threads.
    /// </summary>
    /// <param name="userIndices">User indices (into <c>Model.Users</c>).</param>
    /// <param name="k">Items per user (at least 1).</param>
    /// <param name="threads">Worker threads (at least 1; 1 runs on the calling thread).</param>
    /// <param name="excludeKnown">Leave out each user's known items (default).</param>
    /// <returns>One array per requested user, in request order; shorter than k when fewer items are eligible.</returns>
    public int[][] RecommendBatch(IReadOnlyList<int> userIndices, int k, int threads = 1, bool excludeKnown = true)
    {
        ArgumentNullException.ThrowIfNull(userIndices);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1.");
        for (int j = 0; j < userIndices.Count; j++)
        {
            int u = userIndices[j];
            if ((uint)u >= (uint)Model.Users.Count)
                throw new ArgumentOutOfRangeException(nameof(userIndices), u, $"User index at position {j} is outside [0, {Model.Users.Count}).");
        }
        RequireBatchMemory(userIndices.Count, k, threads);
        var results = new int[userIndices.Count][];
        int next = 0;
        QuantizedItemMatrix? quantized = UseQuantizedFirstPass && UsesQuantizedPass(k) ? _quantized : null;
        void Work()
        {
            if (quantized is not null)
            {
                WorkQuantized(userIndices, k, excludeKnown, quantized, results, ref next);
                return;
            }
            int items = Model.Items.Count;
            int capacity = Math.Min(k, items);
            int p = _itemMatrix?.PackedLength ?? 0;
            int batch = _itemMatrix is null ? 1 : UserBatch;
            var packed = new float[batch * p];
            var scores = new float[batch * items];
            var slot = new int[batch];
            var excluded = new bool[items];
            var top = new int[capacity];
            var topScores = new float[capacity];
            int start;
            while ((start = Interlocked.Add(ref next, batch) - batch) < userIndices.Count)
            {
                int end = Math.Min(start + batch, userIndices.Count);
                if (_itemMatrix is not null)
                {
                    int warm = 0;
                    for (int j = start; j < end; j++)
                    {
                        int user = userIndices[j];
                        if (IsColdUser(user)) { slot[j - start] = -1; continue; }
                        _factorization!.GetPackedUserVector(user, packed.AsSpan(warm * p, p));
                        slot[j - start] = warm++;
                    }
                    _itemMatrix.ScoreBatch(packed.AsSpan(0, warm * p), warm, scores.AsSpan(0, warm * items));
                }
                else
                {
                    int user = userIndices[start];
                    if (IsColdUser(user)) slot[0] = -1;
                    else { Model.ScoreItems(user, scores); slot[0] = 0; }
                }
                for (int j = start; j < end; j++)
                {
                    int user = userIndices[j];
                    int s = slot[j - start];
                    ReadOnlySpan<float> userScores = s < 0 ? _fallbackScores : scores.AsSpan(s * items, items);
                    ReadOnlySpan<int> known = excludeKnown ? KnownInteractions.RowIndices(user) : default;
                    foreach (int i in known) excluded[i] = true;
                    int n = TopK.Select(userScores, capacity, top, topScores, excluded);
                    foreach (int i in known) excluded[i] = false;
                    results[j] = top.AsSpan(0, n).ToArray();
                }
            }
        }
        if (threads == 1 || userIndices.Count <= UserBatch)
        {
            Work();
        }
        else
        {
            int workers = Math.Min(threads, (userIndices.Count + UserBatch - 1) / UserBatch);
            var tasks = new Task[workers];
            for (int w = 0; w < workers; w++) tasks[w] = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Task.WaitAll(tasks);
        }
        return results;
    }

    /// <summary>True when a <see cref="RecommendBatch"/> for k items takes the 16-bit first pass (if available).</summary>
    private bool UsesQuantizedPass(int k) => _quantized is not null && 8L * k <= Model.Items.Count;

    /// <summary>
    /// The worker of <see cref="RecommendBatch"/> with the 16-bit first pass: per batch of 16 users, one sweep over the
    /// item codes (<see cref="QuantizedItemMatrix.Select"/>) keeps each user's k-th largest lower bound L among
    /// eligible items and the items whose upper bound reached it; those reaching the final L are scored exactly and
    /// selected exactly. Users whose vector cannot be quantized, or with fewer than k eligible items, are scored
    /// exactly.
    /// </summary>
    private void WorkQuantized(IReadOnlyList<int> userIndices, int k, bool excludeKnown, QuantizedItemMatrix quantized, int[][] results, ref int next)
    {
        int items = Model.Items.Count, codeLength = quantized.UserCodeLength;
        int capacity = Math.Min(k, items);
        int p = _itemMatrix!.PackedLength;
        var packed = new float[UserBatch * p];
        var codes = new short[UserBatch * codeLength];
        var terms = new float[UserBatch * 3];
        var state = new FirstPassSelection(UserBatch, capacity, items);
        var slot = new int[UserBatch];      // -1 cold, -2 exact, else the user's row in the first pass
        var exactRow = new float[items];
        var candidates = new int[items];
        var candidateScores = new float[items];
        var excluded = new bool[items];
        var top = new int[capacity];
        var topScores = new float[capacity];
        int start;
        while ((start = Interlocked.Add(ref next, UserBatch) - UserBatch) < userIndices.Count)
        {
            int end = Math.Min(start + UserBatch, userIndices.Count);
            int rows = 0;
            for (int j = start; j < end; j++)
            {
                int user = userIndices[j];
                Span<float> u = packed.AsSpan((j - start) * p, p);
                if (IsColdUser(user)) { slot[j - start] = -1; continue; }
                _factorization!.GetPackedUserVector(user, u);
                if (quantized.QuantizeUser(u, codes.AsSpan(rows * codeLength, codeLength), out float scale, out float error, out float l1))
                {
                    terms[3 * rows] = scale;
                    terms[3 * rows + 1] = error;
                    terms[3 * rows + 2] = l1;
                    if (excludeKnown)
                        foreach (int i in KnownInteractions.RowIndices(user)) state.Excluded[rows * items + i] = true;
                    slot[j - start] = rows++;
                }
                else slot[j - start] = -2;
            }
            state.Reset(rows);
            quantized.Select(codes.AsSpan(0, rows * codeLength), terms.AsSpan(0, 3 * rows), rows, state);
            for (int j = start; j < end; j++)
            {
                int user = userIndices[j];
                int s = slot[j - start];
                ReadOnlySpan<float> u = packed.AsSpan((j - start) * p, p);
                ReadOnlySpan<int> known = excludeKnown ? KnownInteractions.RowIndices(user) : default;
                int n = 0;
                if (s >= 0 && state.IsFull(s))
                {
                    // Candidates whose upper bound reaches the final threshold, scored exactly, selected exactly.
                    float threshold = state.Threshold(s);
                    int c = 0, rowBase = s * items;
                    for (int m = 0; m < state.CandidateCounts[s]; m++)
                        if (state.CandidateUpper[rowBase + m] >= threshold) candidates[c++] = state.Candidates[rowBase + m];
                    _itemMatrix.ScoreItems(u, candidates.AsSpan(0, c), candidateScores.AsSpan(0, c));
                    n = TopK.Select(candidateScores.AsSpan(0, c), capacity, top, topScores);
                    for (int m = 0; m < n; m++) top[m] = candidates[top[m]];
                }
                else
                {
                    // Cold users rank by the fallback; users that could not be quantized, or with fewer than k
                    // eligible items, are scored exactly.
                    foreach (int i in known) excluded[i] = true;
                    ReadOnlySpan<float> scores = _fallbackScores;
                    if (s != -1)
                    {
                        _itemMatrix.Score(u, exactRow);
                        scores = exactRow;
                    }
                    n = TopK.Select(scores, capacity, top, topScores, excluded);
                    foreach (int i in known) excluded[i] = false;
                }
                if (s >= 0)
                    foreach (int i in known) state.Excluded[s * items + i] = false;
                results[j] = top.AsSpan(0, n).ToArray();
            }
        }
    }

    /// <summary>
    /// Bytes of a <see cref="RecommendBatch"/> call (class remarks): <c>T × (B × 4(I + P) + I + 8k) + U × (4k + 32)</c>
    /// with B = 16 users per batch for factorization models (else 1 and P = 0).
    /// </summary>
    internal double BatchBytes(int users, int k, int threads)
    {
        int items = Model.Items.Count, capacity = Math.Min(k, items);
        int p = _itemMatrix?.PackedLength ?? 0;
        int batch = _itemMatrix is null ? 1 : UserBatch;
        // The 16-bit first pass keeps a mask and a candidate row (item and upper bound) per user instead of one score
        // row, plus the candidates and one exact row.
        double quantizedExtra = UsesQuantizedPass(k) ? (double)batch * (5.0 * items + 4.0 * capacity + 16) + 12.0 * items : 0;
        return (double)threads * ((double)batch * 4 * (items + p) + items + 8.0 * capacity + quantizedExtra) + (double)users * (4.0 * capacity + 32);
    }

    private void RequireBatchMemory(int users, int k, int threads) =>
        MemoryBudget.Require(
            string.Create(CultureInfo.InvariantCulture, $"Top {Math.Min(k, Model.Items.Count)} of {Model.Items.Count:N0} items for {users:N0} users on {threads} thread(s)"),
            "k", k, BatchBytes(users, k, threads), Math.Max((double)UserBatch * Model.Items.Count, users));

    /// <summary>
    /// The <paramref name="k"/> items most similar to an item, the item itself left out. For an
    /// <see cref="ItemItemModel"/> (item-kNN, EASE): the largest weights of the item's row of the item-item matrix
    /// (<see cref="ItemItemModel.SimilarItems"/>). For other factorization models: cosine similarity of the latent
    /// item factors <c>q_i · q_j / (|q_i| |q_j|)</c> (bias slots excluded); an item whose factors are all zero has
    /// similarity 0 to every item.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The item id is not in the model's catalogue.</exception>
    /// <exception cref="InvalidOperationException">The model has neither item vectors nor item neighbours.</exception>
    public IReadOnlyList<ScoredItem> SimilarItems(string itemId, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (Model is not IFactorizationModel factorization)
            throw new InvalidOperationException($"SimilarItems needs a factorization or item-item model; {Model.GetType().Name} has no item vectors.");
        if (!Model.Items.TryGetIndex(itemId, out int query))
            throw new KeyNotFoundException($"Item id '{itemId}' is not in the model's item catalogue ({Model.Items.Count} items).");
        if (Model is ItemItemModel itemItem) return itemItem.SimilarItems(query, k);
        int items = Model.Items.Count, dim = factorization.Dimension;
        float[] unit = _unitItemFactors ??= BuildUnitItemFactors(factorization);
        var scores = new float[items];
        ReadOnlySpan<float> q = unit.AsSpan(query * dim, dim);
        for (int i = 0; i < items; i++) scores[i] = TensorPrimitives.Dot(q, unit.AsSpan(i * dim, dim));
        var excluded = new bool[items];
        excluded[query] = true;
        int capacity = Math.Min(k, items);
        var top = new int[capacity];
        var topScores = new float[capacity];
        int n = TopK.Select(scores, capacity, top, topScores, excluded);
        var result = new ScoredItem[n];
        for (int j = 0; j < n; j++) result[j] = new ScoredItem(Model.Items[top[j]], topScores[j]);
        return result;
    }

    private static float[] BuildUnitItemFactors(IFactorizationModel model)
    {
        int items = model.Items.Count, dim = model.Dimension;
        var unit = new float[items * dim];
        var packed = new float[dim + 2];
        for (int i = 0; i < items; i++)
        {
            model.GetPackedItemVector(i, packed);
            Span<float> row = unit.AsSpan(i * dim, dim);
            packed.AsSpan(0, dim).CopyTo(row);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0 && float.IsFinite(norm)) TensorPrimitives.Divide(row, norm, row);
            else row.Clear();
        }
        return unit;
    }
}
