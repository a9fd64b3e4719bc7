using System.Numerics.Tensors;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// The stochastic training loop of <see cref="WarpTrainer"/>: per-sample losses, their gradients and the
/// (Hogwild when multi-threaded) epoch driver. Works in place on two <see cref="WarpSide"/>s.
/// </summary>
/// <remarks>
/// Scores: <c>s_ui = p_u · q_i + b_u + b_i</c>. Pairwise losses (WARP, BPR, k-OS) have
/// <c>∂L/∂s_ui = -c</c> and <c>∂L/∂s_uj = +c</c> for a coefficient c ≥ 0 (see <see cref="ApplyPair(Scratch, int, int, int, float)"/>), hence the
/// gradients <c>∂L/∂e_f = -c·x_if·p_u</c> (positive item features), <c>+c·x_jf·p_u</c> (negative item features),
/// <c>c·x_uf·(q_j - q_i)</c> (user features), <c>∓c·x_f</c> for item biases; the user bias cancels in
/// <c>s_ui - s_uj</c> and is not touched. Every gradient is computed from the representations before the step.
/// </remarks>
internal sealed class WarpSgd
{
    /// <summary>Cap of the WARP loss coefficient, as LightFM's MAX_LOSS.</summary>
    internal const float MaxLoss = 10f;

    private readonly WarpSide _users;
    private readonly WarpSide _items;
    private readonly CsrMatrix _interactions;
    private readonly WarpOptimizer _optimizer;
    private readonly WarpLoss _loss;
    private readonly int _maxSampled;
    private readonly int _kosK;
    private readonly int _kosN;
    private readonly float _userAlpha;
    private readonly float _itemAlpha;
    private readonly int _d;
    private readonly int _itemCount;
    // Negative candidates: null means all items 0.._itemCount-1; else the listed items. _candidateCount is their number.
    private readonly int[]? _candidates;
    private readonly int _candidateCount;
    private readonly int[] _pairUsers;
    private readonly int[] _activeUsers;
    private readonly bool _vector;

    /// <param name="users">User side (trained in place).</param>
    /// <param name="items">Item side (trained in place).</param>
    /// <param name="interactions">Users x items; stored entries are the positives.</param>
    /// <param name="options">Trainer options.</param>
    /// <param name="vectorKernels">Use the AVX-512 kernels (default: when the hardware has them); false selects the
    /// portable ones, so tests can compare the two on whole fits.</param>
    public WarpSgd(WarpSide users, WarpSide items, CsrMatrix interactions, WarpTrainer.Options options, bool? vectorKernels = null)
    {
        _vector = (vectorKernels ?? true) && WarpKernels.UseVectorPath;
        _users = users;
        _items = items;
        _interactions = interactions;
        _optimizer = new WarpOptimizer(options.LearningSchedule, options.LearningRate, options.Rho, options.Epsilon);
        _loss = options.Loss;
        _maxSampled = options.MaxSampled;
        _kosK = options.K;
        _kosN = options.N;
        _userAlpha = options.UserAlpha;
        _itemAlpha = options.ItemAlpha;
        _d = users.Components;
        _itemCount = interactions.Columns;
        _candidates = options.NegativeSampling == WarpNegativeSampling.TrainItems ? ItemsWithEntries(interactions) : null;
        _candidateCount = _candidates?.Length ?? _itemCount;

        var pointers = interactions.RowPointers;
        _pairUsers = new int[interactions.NonZeroCount];
        int active = 0;
        for (int u = 0; u < interactions.Rows; u++)
        {
            _pairUsers.AsSpan(pointers[u], pointers[u + 1] - pointers[u]).Fill(u);
            if (pointers[u + 1] > pointers[u]) active++;
        }
        _activeUsers = new int[active];
        active = 0;
        for (int u = 0; u < interactions.Rows; u++)
            if (pointers[u + 1] > pointers[u]) _activeUsers[active++] = u;
    }

    /// <summary>The items (ascending) that have at least one stored entry in <paramref name="interactions"/>.</summary>
    internal static int[] ItemsWithEntries(CsrMatrix interactions)
    {
        var seen = new bool[interactions.Columns];
        foreach (int i in interactions.ColumnIndices) seen[i] = true;
        int count = 0;
        foreach (bool b in seen) if (b) count++;
        var items = new int[count];
        count = 0;
        for (int i = 0; i < seen.Length; i++) if (seen[i]) items[count++] = i;
        return items;
    }

    /// <summary>Number of items negatives are drawn from (the catalogue, or the items with training entries).</summary>
    internal int NegativeCandidateCount => _candidateCount;

    /// <summary>Draws one negative candidate uniformly (one generator call in both modes).</summary>
    private int DrawCandidate(ref WarpRandom rng)
    {
        int r = rng.NextInt(_candidateCount);
        return _candidates is null ? r : _candidates[r];
    }

    /// <summary>
    /// Per-thread scratch buffers and statistics (no allocation per sample). All buffers are slices of one array
    /// padded by a cache line on each side, and each worker allocates its own, so that Hogwild threads never write
    /// to a shared cache line through their scratch.
    /// </summary>
    internal sealed class Scratch
    {
        private const int Pad = 16; // floats = 64 bytes
        private readonly float[] _buffer;
        private readonly int _d;
        private readonly int[] _kosItems;
        private readonly float[] _kosScores;

        public Scratch(int d, int kosN)
        {
            _d = d;
            _buffer = new float[Pad + 5 * (d + 1) + Pad];
            _kosItems = new int[kosN + 2 * Pad];
            _kosScores = new float[kosN + 2 * Pad];
        }

        public Span<float> User => _buffer.AsSpan(Pad, _d + 1);
        public Span<float> Positive => _buffer.AsSpan(Pad + (_d + 1), _d + 1);
        public Span<float> Negative => _buffer.AsSpan(Pad + 2 * (_d + 1), _d + 1);
        public Span<float> Direction => _buffer.AsSpan(Pad + 3 * (_d + 1), _d + 1);

        /// <summary>Direction of item steps: <c>[p_u, 1]</c> (embedding gradient ∝ p_u, bias gradient ∝ 1).</summary>
        public Span<float> ItemDirection => _buffer.AsSpan(Pad + 4 * (_d + 1), _d + 1);
        public Span<int> KosItems => _kosItems.AsSpan(Pad);
        public Span<float> KosScores => _kosScores.AsSpan(Pad);
        public double LossSum;
        public long Samples;
        public long Updates;
    }

    internal Scratch CreateScratch() => new(_d, _kosN);

    /// <summary>Number of samples an epoch visits (stored pairs; active users for k-OS).</summary>
    public int SamplesPerEpoch => _loss == WarpLoss.KosWarp ? _activeUsers.Length : _pairUsers.Length;

    /// <summary>
    /// Runs one epoch: shuffles the samples with a generator fixed by (seed, epoch), then processes them in
    /// <paramref name="threads"/> contiguous chunks (one thread: strictly sequential, bit-reproducible).
    /// </summary>
    public (double MeanLoss, double UpdateFraction) RunEpoch(int seed, long epoch, int threads, int[] order)
    {
        int n = SamplesPerEpoch;
        for (int i = 0; i < n; i++) order[i] = i;
        var shuffleRng = WarpRandom.ForStream(seed, epoch, 0);
        for (int i = n - 1; i > 0; i--)
        {
            int j = shuffleRng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        threads = Math.Max(1, Math.Min(threads, n));
        var scratches = new Scratch[threads];
        if (threads == 1)
        {
            var rng = WarpRandom.ForStream(seed, epoch, 1);
            scratches[0] = CreateScratch();
            RunChunk(scratches[0], ref rng, order.AsSpan(0, n));
        }
        else
        {
            int chunk = (n + threads - 1) / threads;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                int start = t * chunk;
                int end = Math.Min(n, start + chunk);
                var rng = WarpRandom.ForStream(seed, epoch, t + 1);
                var scratch = CreateScratch(); // allocated on the worker's own allocation context
                RunChunk(scratch, ref rng, order.AsSpan(start, Math.Max(0, end - start)));
                scratches[t] = scratch;
            });
        }
        double loss = 0;
        long samples = 0, updates = 0;
        foreach (var s in scratches)
        {
            loss += s.LossSum;
            samples += s.Samples;
            updates += s.Updates;
        }
        return samples == 0 ? (0, 0) : (loss / samples, (double)updates / samples);
    }

    private void RunChunk(Scratch s, ref WarpRandom rng, ReadOnlySpan<int> order)
    {
        var items = _interactions.ColumnIndices;
        var values = _interactions.Values;
        switch (_loss)
        {
            case WarpLoss.Warp:
                for (int t = 0; t < DrawLead; t++) PrefetchCandidate(rng, t);
                for (int k = 0; k < order.Length; k++)
                {
                    PrefetchAhead(order, k);
                    int p = order[k];
                    WarpSample(s, ref rng, _pairUsers[p], items[p], values[p]);
                }
                break;
            case WarpLoss.Bpr:
                foreach (int p in order) BprSample(s, ref rng, _pairUsers[p], items[p], values[p]);
                break;
            case WarpLoss.Logistic:
                foreach (int p in order) ApplyLogistic(s, _pairUsers[p], items[p], values[p]);
                break;
            case WarpLoss.KosWarp:
                foreach (int p in order) KosSample(s, ref rng, _activeUsers[p]);
                break;
        }
    }

    // How many samples ahead the sample's index entries (user, item, weight) and then its rows are prefetched.
    private const int IndexLead = 8;
    private const int RowLead = 3;

    /// <summary>
    /// Cache hints for the samples after <paramref name="k"/> in a shuffled chunk: the stored-entry arrays of sample
    /// k + IndexLead, and the user row, positive item row (with optimiser state) and interaction row of sample
    /// k + RowLead, whose index entries were hinted earlier. Without them each sample starts with a few dependent
    /// cache misses (the order is random); the hints change no result.
    /// </summary>
    private void PrefetchAhead(ReadOnlySpan<int> order, int k)
    {
        if (k + IndexLead < order.Length)
        {
            int far = order[k + IndexLead];
            WarpKernels.Prefetch(_pairUsers, far);
            WarpKernels.Prefetch(_interactions.ColumnIndices, far);
        }
        if (k + RowLead < order.Length)
        {
            int near = order[k + RowLead];
            int u = _pairUsers[near];
            _users.PrefetchRow(u, withState: true);
            _items.PrefetchRow(_interactions.ColumnIndices[near], withState: true);
            WarpKernels.Prefetch(_interactions.ColumnIndices, _interactions.RowPointers[u]);
        }
    }

    // How many draws ahead negative candidates are prefetched. The generator is one stream per chunk, so draws past
    // the current sample's last one are the next sample's first candidates: no hint is wasted.
    private const int DrawLead = 4;

    /// <summary>Prefetches the row of the candidate that the draw <paramref name="ahead"/> calls from now will give.</summary>
    private void PrefetchCandidate(in WarpRandom rng, int ahead)
    {
        int r = rng.PeekInt(_candidateCount, ahead);
        _items.PrefetchRow(_candidates is null ? r : _candidates[r], withState: false);
    }

    private float Score(ReadOnlySpan<float> user, ReadOnlySpan<float> item) =>
        WarpKernels.Dot(user, item, _d, _vector) + user[_d] + item[_d];

    /// <summary>The WARP rank weight after <paramref name="sampled"/> draws: ln(max(1, ⌊(n - 1)/N⌋)).</summary>
    internal static float WarpRankWeight(int itemCount, int sampled) =>
        MathF.Log(MathF.Max(1f, MathF.Floor((itemCount - 1) / (float)sampled)));

    private void WarpSample(Scratch s, ref WarpRandom rng, int u, int i, float weight)
    {
        s.Samples++;
        if (!(weight > 0f)) return;
        var user = RowView(_users, u, s.User);
        var positive = RowView(_items, i, s.Positive);
        float positiveScore = Score(user, positive);
        if (!float.IsFinite(positiveScore)) return;
        WarpStepFromPositive(s, ref rng, u, i, positiveScore, weight, user, positive);
    }

    /// <summary>
    /// The representation <c>[p, b]</c> of a row: the live parameter block itself for a single-feature row (no copy),
    /// else the sum of its feature blocks written into <paramref name="buffer"/>. A view of a live block stays valid
    /// until that block is stepped, so callers take every gradient direction from the views before any step.
    /// </summary>
    private ReadOnlySpan<float> RowView(WarpSide side, int row, Span<float> buffer)
    {
        int f = side.SingleFeature[row];
        if (f >= 0) return side.Parameters.AsSpan(f * side.Stride, side.Stride);
        side.Represent(row, buffer, _vector);
        return buffer;
    }

    private void WarpStepFromPositive(Scratch s, ref WarpRandom rng, int u, int i, float positiveScore, float weight,
        ReadOnlySpan<float> user, ReadOnlySpan<float> positive)
    {
        int j = SearchNegative(ref rng, u, positiveScore, user, s.Negative, out int sampled, out float negativeScore);
        if (j < 0) return;
        float c = MathF.Min(weight * WarpRankWeight(_candidateCount, sampled), MaxLoss);
        s.LossSum += c * (1f - positiveScore + negativeScore);
        s.Updates++;
        // A multi-feature negative was represented into s.Negative by the search; a single-feature one is read in place.
        int f = _items.SingleFeature[j];
        var negative = f >= 0 ? _items.Parameters.AsSpan(f * _items.Stride, _items.Stride) : s.Negative;
        ApplyPair(s, u, i, j, c, user, positive, negative);
    }

    /// <summary>
    /// WARP negative search: draws negative candidates uniformly (at most MaxSampled times) and returns the first one whose
    /// score violates <c>s_uj &gt; s_ui - 1</c> and which is not a stored entry of the user's interaction row;
    /// -1 when none is found. A known positive is never returned. Leaves the negative's representation in
    /// <paramref name="negative"/>.
    /// </summary>
    internal int FindViolatingNegative(ref WarpRandom rng, int u, float positiveScore, ReadOnlySpan<float> user,
        Span<float> negative, out int sampled, out float negativeScore)
    {
        int j = SearchNegative(ref rng, u, positiveScore, user, negative, out sampled, out negativeScore);
        if (j >= 0 && _items.SingleFeature[j] >= 0) _items.Represent(j, negative, _vector);
        return j;
    }

    /// <summary>
    /// <see cref="FindViolatingNegative"/> without the copy of a single-feature negative: <paramref name="negative"/>
    /// holds the found negative's representation only when its row has several features.
    /// </summary>
    private int SearchNegative(ref WarpRandom rng, int u, float positiveScore, ReadOnlySpan<float> user,
        Span<float> negative, out int sampled, out float negativeScore)
    {
        var positives = _interactions.RowIndices(u);
        float threshold = positiveScore - 1f;
        int d = _d;
        var single = _items.SingleFeature;
        var parameters = _items.Parameters;
        int stride = d + 1;
        var userVector = user.Slice(0, d);
        float userBias = user[d];
        for (sampled = 1; sampled <= _maxSampled; sampled++)
        {
            int j = DrawCandidate(ref rng);
            PrefetchCandidate(rng, DrawLead - 1); // a later candidate (peeked, not consumed)
            int f = single[j];
            float score;
            if (f >= 0)
            {
                // One feature with value 1 (identity only): score straight from the parameter block, no copy.
                var block = parameters.AsSpan(f * stride, stride);
                score = WarpKernels.Dot(userVector, block, d, _vector) + userBias + block[d];
            }
            else
            {
                _items.Represent(j, negative, _vector);
                score = Score(user, negative);
            }
            if (score > threshold && positives.BinarySearch(j) < 0)
            {
                negativeScore = score;
                return j;
            }
        }
        sampled = _maxSampled;
        negativeScore = float.NaN;
        return -1;
    }

    /// <summary>Draws a uniform negative candidate that is not a stored entry of the user's row (MaxSampled tries); -1 if none.</summary>
    internal int SampleNegative(ref WarpRandom rng, int u)
    {
        var positives = _interactions.RowIndices(u);
        for (int t = 0; t < _maxSampled; t++)
        {
            int j = DrawCandidate(ref rng);
            if (positives.BinarySearch(j) < 0) return j;
        }
        return -1;
    }

    private void BprSample(Scratch s, ref WarpRandom rng, int u, int i, float weight)
    {
        s.Samples++;
        if (!(weight > 0f)) return;
        int j = SampleNegative(ref rng, u);
        if (j < 0) return;
        ApplyBpr(s, u, i, j, weight);
    }

    /// <summary>
    /// One BPR step on (u, i, j): loss <c>w · ln(1 + e^{-(s_ui - s_uj)})</c>, coefficient
    /// <c>c = -∂L/∂(s_ui - s_uj) = w · σ(s_uj - s_ui)</c>.
    /// </summary>
    internal void ApplyBpr(Scratch s, int u, int i, int j, float weight)
    {
        _users.Represent(u, s.User, _vector);
        _items.Represent(i, s.Positive, _vector);
        _items.Represent(j, s.Negative, _vector);
        float diff = Score(s.User, s.Positive) - Score(s.User, s.Negative);
        if (!float.IsFinite(diff)) return;
        s.LossSum += weight * Softplus(-diff);
        s.Updates++;
        ApplyPair(s, u, i, j, weight * Sigmoid(-diff));
    }

    /// <summary>
    /// One WARP step on (u, i, j) with a given rank weight (the WARP loss is <c>c · (1 - s_ui + s_uj)</c>).
    /// Exposed for gradient tests.
    /// </summary>
    internal void ApplyWarpPair(Scratch s, int u, int i, int j, float c)
    {
        _users.Represent(u, s.User, _vector);
        _items.Represent(i, s.Positive, _vector);
        _items.Represent(j, s.Negative, _vector);
        ApplyPair(s, u, i, j, c);
    }

    /// <summary>
    /// Pairwise step with <c>∂L/∂s_ui = -c</c>, <c>∂L/∂s_uj = c</c>; expects the representations of u, i and j
    /// (taken before the step) in the scratch buffers.
    /// </summary>
    private void ApplyPair(Scratch s, int u, int i, int j, float c) => ApplyPair(s, u, i, j, c, s.User, s.Positive, s.Negative);

    /// <summary>
    /// <see cref="ApplyPair(Scratch, int, int, int, float)"/> on given representations, which may be views of live
    /// parameter blocks (<see cref="RowView"/>): the user direction <c>q_j - q_i</c> is taken before the item steps, and
    /// the item direction <c>[p_u, 1]</c> is read from the user's view, which only the last step changes.
    /// </summary>
    private void ApplyPair(Scratch s, int u, int i, int j, float c, ReadOnlySpan<float> user, ReadOnlySpan<float> positive, ReadOnlySpan<float> negative)
    {
        // User: embeddings only (the user bias cancels in s_ui - s_uj).
        var direction = s.Direction.Slice(0, _d);
        TensorPrimitives.Subtract(negative.Slice(0, _d), positive.Slice(0, _d), direction);
        var userVector = user.Slice(0, _d);
        StepRow(_items, i, -c, userVector, _itemAlpha, _d + 1);
        StepRow(_items, j, c, userVector, _itemAlpha, _d + 1);
        StepRow(_users, u, c, direction, _userAlpha);
    }

    /// <summary>
    /// One logistic step on a stored entry: label y = 1 when value &gt; 0, 0 when value &lt; 0, weight |value|;
    /// loss <c>w · (ln(1 + e^s) - y·s)</c>, <c>∂L/∂s = w (σ(s) - y)</c>, applied to item and user embeddings and
    /// both biases.
    /// </summary>
    internal void ApplyLogistic(Scratch s, int u, int i, float value)
    {
        s.Samples++;
        float weight = MathF.Abs(value);
        if (!(weight > 0f)) return;
        float y = value > 0f ? 1f : 0f;
        _users.Represent(u, s.User, _vector);
        _items.Represent(i, s.Positive, _vector);
        float score = Score(s.User, s.Positive);
        if (!float.IsFinite(score)) return;
        s.LossSum += weight * (Softplus(score) - y * score);
        s.Updates++;
        float g = weight * (Sigmoid(score) - y);
        var itemDirection = s.ItemDirection;
        s.User.Slice(0, _d).CopyTo(itemDirection);
        itemDirection[_d] = 1f;
        var userDirection = s.Direction;
        s.Positive.Slice(0, _d).CopyTo(userDirection);
        userDirection[_d] = 1f;
        StepRow(_items, i, g, itemDirection, _itemAlpha);
        StepRow(_users, u, g, userDirection, _userAlpha);
    }

    private void KosSample(Scratch s, ref WarpRandom rng, int u)
    {
        s.Samples++;
        var positives = _interactions.RowIndices(u);
        if (positives.Length == 0) return;
        _users.Represent(u, s.User, _vector);
        int m = Math.Min(_kosN, positives.Length);
        var ids = s.KosItems;
        var scores = s.KosScores;
        // Draw m positives with replacement; keep them sorted by descending score (insertion sort, m ≤ N).
        for (int t = 0; t < m; t++)
        {
            int item = positives[rng.NextInt(positives.Length)];
            _items.Represent(item, s.Positive, _vector);
            float score = Score(s.User, s.Positive);
            int k = t;
            while (k > 0 && scores[k - 1] < score)
            {
                scores[k] = scores[k - 1];
                ids[k] = ids[k - 1];
                k--;
            }
            scores[k] = score;
            ids[k] = item;
        }
        int pick = Math.Min(_kosK, m) - 1;
        int i = ids[pick];
        float positiveScore = scores[pick];
        if (!float.IsFinite(positiveScore)) return;
        _items.Represent(i, s.Positive, _vector);
        WarpStepFromPositive(s, ref rng, u, i, positiveScore, 1f, s.User, s.Positive);
    }

    /// <summary>
    /// Steps every feature f of one row with gradient <c>scale · x_f · direction</c> on the first
    /// <c>direction.Length</c> entries of its parameter block <c>[e_f, β_f]</c>: a direction of length d + 1 ending
    /// in 1 steps the embedding and the bias (bias gradient <c>scale · x_f</c>), one of length d the embedding only.
    /// </summary>
    private void StepRow(WarpSide side, int row, float scale, ReadOnlySpan<float> direction, float alpha) =>
        StepRow(side, row, scale, direction, alpha, direction.Length);

    /// <summary>As above over the first <paramref name="width"/> ≥ direction-length entries of each block, the entries past
    /// the direction with direction 1 (so <c>[p_u]</c> with width d + 1 steps an item's embedding and bias).</summary>
    private void StepRow(WarpSide side, int row, float scale, ReadOnlySpan<float> direction, float alpha, int width)
    {
        WarpKernels.StepFeatures(in _optimizer, side.Parameters, side.Accumulators, side.Deltas, side.Stride,
            side.Features.RowIndices(row), side.Features.RowValues(row), width, direction, direction.Length, scale, alpha, _vector);
    }

    internal static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>ln(1 + e^x), computed without overflow.</summary>
    internal static float Softplus(float x) => x > 0f ? x + MathF.Log(1f + MathF.Exp(-x)) : MathF.Log(1f + MathF.Exp(x));
}
