using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using DeskdropML.Memory;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Evaluation;

/// <summary>
/// Top-k evaluation of a recommender on a held-out user x item test matrix.
/// </summary>
/// <remarks>
/// <para><b>Users.</b> A user u is evaluated when row u of <c>test</c> has at least one stored entry (its weight does
/// not matter, explicit zeros count). T_u is the set of those columns. Users without test entries are skipped and
/// do not count in any denominator.</para>
/// <para><b>Candidates.</b> Every item (column) is scored by the scorer. With
/// <see cref="RankingEvaluationOptions.ExcludeTrainItems"/> (default) the items stored in row u of <c>train</c>
/// are removed from the candidates; an item in both train and test rows of u then can never be hit but still
/// counts in |T_u|. Without exclusion the whole catalogue is ranked
/// (<c>lightfm.evaluation</c> without <c>train_interactions</c>).</para>
/// <para><b>Ranking.</b> The top k are taken with <see cref="TopK.Select"/>: descending score, equal scores by
/// ascending item index, NaN last. When fewer than k candidates remain the list is shorter, and precision still
/// divides by k.</para>
/// <para><b>Metrics.</b> precision@k = h/k, recall@k = h/|T_u|, NDCG@k (binary gain, discount 1/log2(r+1), IDCG over
/// min(k, |T_u|) items), AP@k (denominator min(k, |T_u|)), reciprocal rank and hit — see
/// <see cref="RankingMetrics"/>. Reported: the unweighted mean over evaluated users, the same means over warm users
/// (≥ 1 training entry) and cold users (none), and catalogue coverage = |∪_u top-k(u)| / number of items.</para>
/// <para><b>Threads.</b> Users are scored in parallel, each worker reusing its own buffers; per-user values are
/// stored by position and summed in ascending user order, so the result is bit-identical for every
/// <see cref="RankingEvaluationOptions.NumberOfThreads"/>.</para>
/// <para><b>Memory model.</b> Users stream through the workers in chunks of 32; nothing is users × items. With I items,
/// U evaluated users (rows of <c>test</c> with an entry), T workers and d = 1 with
/// <see cref="RankingEvaluationOptions.ItemSubsetDiagnostics"/> (else 0): shared item masks <c>5I</c> bytes; per
/// worker, sized once, a score row and masks <c>I × (6 + 2d)</c> bytes plus <c>8k</c> for the top k; the per-user
/// results the intervals are computed from, <c>U × (4 + 64 + 160)</c> bytes (<see cref="UserRankingEvaluation"/> and
/// <see cref="UnitEvaluation"/>; <see cref="UnitBytes"/>). Total <c>5I + T(I(6 + 2d) + 8k) + U × UnitBytes</c>,
/// checked with <see cref="Memory.MemoryBudget"/> before anything is allocated. The scorer's own working memory is
/// its business (a factorization <see cref="Recommender"/> needs none per call).</para>
/// </remarks>
public static class RankingEvaluator
{
    /// <summary>Users handed to a worker at a time.</summary>
    private const int UsersPerChunk = 32;

    /// <summary>Evaluates a trained model whose user and item maps index the rows and columns of both matrices.</summary>
    /// <param name="train">User x item training interactions (excluded from the candidates by default).</param>
    /// <param name="test">User x item test interactions; stored entries are the relevant items.</param>
    /// <param name="model">The model; <c>Users.Count</c> must equal the rows and <c>Items.Count</c> the columns.</param>
    /// <param name="options">Cut-off, exclusion and threads; null for the defaults.</param>
    /// <exception cref="ArgumentException">The shapes of the matrices and the model's maps disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static RankingEvaluationResult Evaluate(CsrMatrix train, CsrMatrix test, IRecommenderModel model, RankingEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        if (model.Users.Count != test.Rows || model.Items.Count != test.Columns)
            throw new ArgumentException(
                $"The model knows {model.Users.Count} users and {model.Items.Count} items but the test matrix is {test.Rows} x {test.Columns}; " +
                "the matrices must be indexed by the model's user and item maps.", nameof(model));
        return Evaluate(train, test, model.ScoreItems, options);
    }

    /// <summary>Evaluates any scorer (see <see cref="RankingEvaluator"/> for the protocol).</summary>
    /// <param name="train">User x item training interactions (excluded from the candidates by default).</param>
    /// <param name="test">User x item test interactions, same shape as <paramref name="train"/>; stored entries are the relevant items.</param>
    /// <param name="scorer">Scores every item for a user; must be thread-safe.</param>
    /// <param name="options">Cut-off, exclusion and threads; null for the defaults.</param>
    /// <exception cref="ArgumentException">The matrices differ in shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">K or NumberOfThreads is not positive.</exception>
    public static RankingEvaluationResult Evaluate(CsrMatrix train, CsrMatrix test, UserScorer scorer, RankingEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(scorer);
        options ??= new RankingEvaluationOptions();
        if (train.Rows != test.Rows || train.Columns != test.Columns)
            throw new ArgumentException(
                $"train is {train.Rows} x {train.Columns} but test is {test.Rows} x {test.Columns}; both must be users x items of the same shape.",
                nameof(test));
        if (options.K <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.K, "RankingEvaluationOptions.K must be a positive cut-off.");
        int threads = options.NumberOfThreads ?? Environment.ProcessorCount;
        if (threads <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), threads, "RankingEvaluationOptions.NumberOfThreads must be positive (or null for the processor count).");

        if (options.Candidates is { } mask && mask.Length != test.Columns)
            throw new ArgumentException($"RankingEvaluationOptions.Candidates has {mask.Length} entries but there are {test.Columns} items.", nameof(options));
        RequireMemory(test, options.K, threads, options.ItemSubsetDiagnostics);
        var run = new Run(train, test, scorer, options.K, options.ExcludeTrainItems, options.Candidates, options.ItemSubsetDiagnostics);
        run.Execute(threads);
        return run.Summarize(options.ExcludeTrainItems);
    }

    /// <summary>Bytes kept per evaluated user: its index, its <see cref="UserRankingEvaluation"/> and its <see cref="UnitEvaluation"/>.</summary>
    public static int UnitBytes => sizeof(int) + Unsafe.SizeOf<UserRankingEvaluation>() + Unsafe.SizeOf<UnitEvaluation>();

    /// <summary>The bytes of the memory model (class remarks): <c>5I + T(I(6 + 2d) + 8k) + U × UnitBytes</c>.</summary>
    internal static double Bytes(int users, int items, int k, int threads, bool diagnostics) =>
        5.0 * items + (double)threads * ((double)items * (diagnostics ? 8 : 6) + 8.0 * Math.Min(k, items)) + (double)users * UnitBytes;

    private static void RequireMemory(CsrMatrix test, int k, int threads, bool diagnostics)
    {
        int users = 0;
        for (int u = 0; u < test.Rows; u++) if (test.RowLength(u) > 0) users++;
        int workers = Math.Min(threads, Math.Max(1, (users + UsersPerChunk - 1) / UsersPerChunk));
        MemoryBudget.Require(
            string.Create(CultureInfo.InvariantCulture, $"Evaluating {users:N0} users over {test.Columns:N0} items at k = {k} on {workers} thread(s)"),
            nameof(RankingEvaluationOptions.NumberOfThreads), threads, Bytes(users, test.Columns, k, workers, diagnostics),
            Math.Max(test.Columns, users));
    }

    /// <summary>State of one evaluation shared by its workers.</summary>
    private sealed class Run
    {
        private readonly CsrMatrix _train;
        private readonly CsrMatrix _test;
        private readonly UserScorer _scorer;
        private readonly int _k;
        private readonly bool _exclude;
        private readonly bool _diagnostics;
        private readonly int[] _users;
        private readonly UserRankingEvaluation[] _results;
        private readonly UnitEvaluation[] _units;
        private readonly bool[] _covered;
        private readonly object _coverageLock = new();
        /// <summary>Base masks: not a candidate; not a candidate or new; not a candidate or warm.</summary>
        private readonly bool[] _notCandidate, _notWarmCandidate, _notNewCandidate;
        private readonly bool[] _itemHasTrain;
        private readonly int _candidateCount;
        private readonly bool _hasNewCandidates;
        private int _nextUser;

        public Run(CsrMatrix train, CsrMatrix test, UserScorer scorer, int k, bool exclude, bool[]? candidates, bool diagnostics)
        {
            _train = train;
            _test = test;
            _scorer = scorer;
            _k = k;
            _exclude = exclude;
            int count = 0;
            for (int u = 0; u < test.Rows; u++) if (test.RowLength(u) > 0) count++;
            _users = new int[count];
            count = 0;
            for (int u = 0; u < test.Rows; u++) if (test.RowLength(u) > 0) _users[count++] = u;
            _results = new UserRankingEvaluation[count];
            _units = new UnitEvaluation[count];
            int items = test.Columns;
            _covered = new bool[items];
            _itemHasTrain = new bool[items];
            foreach (int c in train.ColumnIndices) _itemHasTrain[c] = true;
            _notCandidate = new bool[items];
            _notWarmCandidate = new bool[items];
            _notNewCandidate = new bool[items];
            for (int i = 0; i < items; i++)
            {
                bool candidate = candidates is null || candidates[i];
                if (candidate) _candidateCount++;
                if (candidate && !_itemHasTrain[i]) _hasNewCandidates = true;
                _notCandidate[i] = !candidate;
                _notWarmCandidate[i] = !candidate || !_itemHasTrain[i];
                _notNewCandidate[i] = !candidate || _itemHasTrain[i];
            }
            _diagnostics = diagnostics;
        }

        public void Execute(int threads)
        {
            int workers = Math.Min(threads, Math.Max(1, (_users.Length + UsersPerChunk - 1) / UsersPerChunk));
            if (workers == 1)
            {
                Work();
                return;
            }
            try
            {
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Work());
            }
            catch (AggregateException e)
            {
                // Several workers can fail on the same faulty scorer at once: surface the first failure as it was
                // thrown, whatever the timing, instead of a wrapper whose shape depends on the race.
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }

        /// <summary>One worker: owns its buffers and takes chunks of users until none are left.</summary>
        private void Work()
        {
            int items = _test.Columns;
            int kEff = Math.Min(_k, items);
            var scores = new float[items];
            var excluded = (bool[])_notCandidate.Clone();
            var excludedWarm = _diagnostics ? (bool[])_notWarmCandidate.Clone() : null;
            var excludedNew = _diagnostics ? (bool[])_notNewCandidate.Clone() : null;
            var topItems = new int[kEff];
            var topScores = new float[kEff];
            var subset = new List<int>();
            var covered = new bool[items];

            while (true)
            {
                int start = Interlocked.Add(ref _nextUser, UsersPerChunk) - UsersPerChunk;
                if (start >= _users.Length) break;
                int end = Math.Min(start + UsersPerChunk, _users.Length);
                for (int position = start; position < end; position++)
                {
                    int user = _users[position];
                    ReadOnlySpan<int> trainItems = _train.RowIndices(user);
                    ReadOnlySpan<int> relevant = _test.RowIndices(user);
                    Array.Clear(scores);
                    _scorer(user, scores);

                    int earlierCandidates = 0;
                    if (_exclude)
                    {
                        foreach (int i in trainItems)
                        {
                            if (!_notCandidate[i]) earlierCandidates++;
                            excluded[i] = true;
                            if (excludedWarm is not null) { excludedWarm[i] = true; excludedNew![i] = true; }
                        }
                    }

                    int selected = TopK.Select(scores, kEff, topItems, topScores, excluded);
                    ReadOnlySpan<int> top = topItems.AsSpan(0, selected);
                    int coldSlots = 0;
                    foreach (int i in top)
                    {
                        covered[i] = true;
                        if (!_itemHasTrain[i]) coldSlots++;
                    }
                    var metrics = RankingMetrics.ComputeUnchecked(relevant, top, _k);
                    _results[position] = new UserRankingEvaluation(user, trainItems.Length, relevant.Length, metrics);

                    int rankableRelevant = 0;
                    foreach (int i in relevant) if (!excluded[i]) rankableRelevant++;
                    int candidates = _candidateCount - earlierCandidates;
                    var random = RandomExpectation.Compute(candidates, rankableRelevant, relevant.Length, _k);

                    UserRankingMetrics? warmOnly = null, newOnly = null;
                    if (excludedWarm is not null)
                    {
                        warmOnly = _hasNewCandidates
                            ? Subset(scores, relevant, excludedWarm, _notWarmCandidate, kEff, topItems, topScores, subset)
                            : (AnyWarm(relevant) ? metrics : null);
                        newOnly = _hasNewCandidates
                            ? Subset(scores, relevant, excludedNew!, _notNewCandidate, kEff, topItems, topScores, subset)
                            : null;
                    }
                    _units[position] = new UnitEvaluation(candidates, random, selected, coldSlots, warmOnly, newOnly);

                    if (_exclude)
                    {
                        foreach (int i in trainItems)
                        {
                            excluded[i] = _notCandidate[i];
                            if (excludedWarm is not null) { excludedWarm[i] = _notWarmCandidate[i]; excludedNew![i] = _notNewCandidate[i]; }
                        }
                    }
                }
            }

            // Logical OR is order-independent, so merging in any order gives the same coverage.
            lock (_coverageLock)
            {
                for (int i = 0; i < items; i++) _covered[i] |= covered[i];
            }
        }

        private bool AnyWarm(ReadOnlySpan<int> relevant)
        {
            foreach (int i in relevant) if (_itemHasTrain[i]) return true;
            return false;
        }

        /// <summary>Metrics among one item subset: relevant items outside the subset are dropped; null when none is left.</summary>
        private UserRankingMetrics? Subset(float[] scores, ReadOnlySpan<int> relevant, bool[] excluded, bool[] outside, int kEff,
            int[] topItems, float[] topScores, List<int> kept)
        {
            kept.Clear();
            foreach (int i in relevant) if (!outside[i]) kept.Add(i);
            if (kept.Count == 0) return null;
            int selected = TopK.Select(scores, kEff, topItems, topScores, excluded);
            return RankingMetrics.ComputeUnchecked(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kept), topItems.AsSpan(0, selected), _k);
        }

        public RankingEvaluationResult Summarize(bool excludeTrainItems)
        {
            var all = new MeanAccumulator();
            var warm = new MeanAccumulator();
            var cold = new MeanAccumulator();
            var warmItems = new MeanAccumulator();
            var newItems = new MeanAccumulator();
            double rp = 0, rr = 0, rn = 0, rh = 0;
            long slots = 0, coldSlots = 0;
            for (int j = 0; j < _results.Length; j++)
            {
                var r = _results[j];
                all.Add(r.Metrics);
                if (r.IsWarm) warm.Add(r.Metrics);
                else cold.Add(r.Metrics);
                var unit = _units[j];
                if (unit.WarmOnly is UserRankingMetrics w) warmItems.Add(w);
                if (unit.NewOnly is UserRankingMetrics n) newItems.Add(n);
                rp += unit.Random.Precision; rr += unit.Random.Recall; rn += unit.Random.Ndcg; rh += unit.Random.Hit;
                slots += unit.Slots;
                coldSlots += unit.ColdSlots;
            }
            int coveredCount = 0;
            foreach (bool c in _covered) if (c) coveredCount++;
            double coverage = _covered.Length == 0 ? 0 : (double)coveredCount / _covered.Length;
            int units = _results.Length;
            var random = units == 0 ? default : new RandomExpectation(rp / units, rr / units, rn / units, rh / units);
            return new RankingEvaluationResult(_k, excludeTrainItems, all.Means(), warm.Means(), cold.Means(), coverage, _results)
            {
                Units = _units,
                Random = random,
                ColdShare = slots == 0 ? 0 : (double)coldSlots / slots,
                WarmItemsOnly = _diagnostics ? warmItems.Means() : null,
                NewItemsOnly = _diagnostics ? newItems.Means() : null,
                CandidateCoverage = _candidateCount == 0 ? 0 : (double)coveredCount / _candidateCount,
            };
        }
    }

    /// <summary>Sums per-user metrics in the order they are added.</summary>
    private struct MeanAccumulator
    {
        private int _count;
        private double _precision, _recall, _ndcg, _ap, _rr, _hit;

        public void Add(in UserRankingMetrics m)
        {
            _count++;
            _precision += m.Precision;
            _recall += m.Recall;
            _ndcg += m.Ndcg;
            _ap += m.AveragePrecision;
            _rr += m.ReciprocalRank;
            _hit += m.Hit;
        }

        public readonly RankingMetricMeans Means() => _count == 0
            ? new RankingMetricMeans(0, 0, 0, 0, 0, 0, 0)
            : new RankingMetricMeans(_count, _precision / _count, _recall / _count, _ndcg / _count, _ap / _count, _rr / _count, _hit / _count);
    }
}
