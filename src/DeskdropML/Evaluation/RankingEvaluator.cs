using System.Runtime.ExceptionServices;
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

        var run = new Run(train, test, scorer, options.K, options.ExcludeTrainItems);
        run.Execute(threads);
        return run.Summarize(options.ExcludeTrainItems);
    }

    /// <summary>State of one evaluation shared by its workers.</summary>
    private sealed class Run
    {
        private readonly CsrMatrix _train;
        private readonly CsrMatrix _test;
        private readonly UserScorer _scorer;
        private readonly int _k;
        private readonly bool _exclude;
        private readonly int[] _users;
        private readonly UserRankingEvaluation[] _results;
        private readonly bool[] _covered;
        private readonly object _coverageLock = new();
        private int _nextUser;

        public Run(CsrMatrix train, CsrMatrix test, UserScorer scorer, int k, bool exclude)
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
            _covered = new bool[test.Columns];
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
            var excluded = _exclude ? new bool[items] : null;
            var topItems = new int[kEff];
            var topScores = new float[kEff];
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
                    Array.Clear(scores);
                    _scorer(user, scores);

                    int selected;
                    if (excluded is null)
                    {
                        selected = TopK.Select(scores, kEff, topItems, topScores);
                    }
                    else
                    {
                        foreach (int i in trainItems) excluded[i] = true;
                        selected = TopK.Select(scores, kEff, topItems, topScores, excluded);
                        foreach (int i in trainItems) excluded[i] = false;
                    }

                    ReadOnlySpan<int> top = topItems.AsSpan(0, selected);
                    foreach (int i in top) covered[i] = true;
                    ReadOnlySpan<int> relevant = _test.RowIndices(user);
                    var metrics = RankingMetrics.ComputeUnchecked(relevant, top, _k);
                    _results[position] = new UserRankingEvaluation(user, trainItems.Length, relevant.Length, metrics);
                }
            }

            // Logical OR is order-independent, so merging in any order gives the same coverage.
            lock (_coverageLock)
            {
                for (int i = 0; i < items; i++) _covered[i] |= covered[i];
            }
        }

        public RankingEvaluationResult Summarize(bool excludeTrainItems)
        {
            var all = new MeanAccumulator();
            var warm = new MeanAccumulator();
            var cold = new MeanAccumulator();
            foreach (var r in _results)
            {
                all.Add(r.Metrics);
                if (r.IsWarm) warm.Add(r.Metrics);
                else cold.Add(r.Metrics);
            }
            int coveredCount = 0;
            foreach (bool c in _covered) if (c) coveredCount++;
            double coverage = _covered.Length == 0 ? 0 : (double)coveredCount / _covered.Length;
            return new RankingEvaluationResult(_k, excludeTrainItems, all.Means(), warm.Means(), cold.Means(), coverage, _results);
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
