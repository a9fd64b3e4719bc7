using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using DeskdropML.Memory;
using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Baselines;

/// <summary>
/// Turns any ML.NET estimator that scores (user, item) rows into a recommender: fits it on the train pairs
/// (optionally with sampled negatives), then scores every (user, item) pair through the fitted transformer, block of
/// users by block of users, and keeps each user's top <see cref="Options.TopK"/> as an
/// <see cref="EstimatorRecommenderModel"/>.
/// </summary>
/// <remarks>
/// <para><b>Input rows.</b> The estimator receives an <see cref="IDataView"/> with three columns: user id
/// (<see cref="Options.UserIdColumnName"/>), item id (<see cref="Options.ItemIdColumnName"/>) — text, or keys with
/// <see cref="IdColumnKind.Key"/> — and a float label (<see cref="Options.LabelColumnName"/>): 1 for each train pair
/// (or the pair's stored value with <see cref="Options.UseValuesAsLabels"/>) and
/// <see cref="Options.NegativeLabel"/> for sampled negatives. It must produce a float column
/// <see cref="Options.ScoreColumnName"/>; higher means more relevant.</para>
/// <para><b>Scoring.</b> Users are processed in blocks of <see cref="Options.UsersPerBatch"/>: each block is a lazily
/// generated data view of users × all items (user-major), transformed, and its score column read with one cursor in
/// row order into the worker's block buffer; the top <see cref="Options.TopK"/> of each user of the block are taken
/// (<see cref="DeskdropML.Recommending.TopK.Select"/>: descending score, ties by item index, NaN last; the user's train
/// items left out with <see cref="Options.ExcludeTrainItems"/>) and the buffer is reused for the next block. Blocks run
/// on <see cref="Options.NumberOfThreads"/> threads; nothing depends on the number of threads or the block size.
/// The full score row of a user is not kept: <see cref="EstimatorRecommenderModel.ScoreItems"/> scores that user
/// again through the transformer (same values: the transformer maps rows one to one).</para>
/// <para><b>Memory model</b> (U users, I items, k = min(TopK, I), B = UsersPerBatch, T threads), checked with
/// <see cref="MemoryBudget"/> before the fit: scoring needs <c>T × B × I × 4</c> bytes of score blocks
/// <c>+ T × I</c> bytes of exclusion masks <c>+ U × (8k + 4)</c> bytes of top-k lists, plus ML.NET's per-cursor
/// buffers; the training rows take <c>nnz × (1 + NegativesPerPositive) × 12</c> bytes while the estimator fits. The
/// fitted model keeps <c>U × (8k + 5)</c> bytes besides the transformer. Nothing is users × items:
/// on 80,436 users × 20,000 items with B = 64, T = 2 and k = 10 that is 10 MB of blocks and 6.8 MB of lists, where
/// the dense grid of earlier versions needed 6.4 GB.</para>
/// <para><b>Plugging in MatrixFactorization.</b> With the <c>Microsoft.ML.Recommender</c> package (not a dependency of
/// this library), ML.NET's matrix factorization takes key id columns (the matrix column index is the item key, the
/// matrix row index the user key). For implicit feedback use its one-class loss, which treats every train pair as a 1
/// and every other pair as <c>C</c> with weight <c>Alpha</c> (ML.NET's default Alpha, 1e-4, is far too small for
/// ranking; see docs/baselines-mlnet-mf.md):
/// <code>
/// var model = new EstimatorRecommender(ml, ml.Recommendation().Trainers.MatrixFactorization(new MatrixFactorizationTrainer.Options
///     {
///         LabelColumnName = "Label", MatrixColumnIndexColumnName = "ItemId", MatrixRowIndexColumnName = "UserId",
///         LossFunction = MatrixFactorizationTrainer.LossFunctionType.SquareLossOneClass,
///         ApproximationRank = 32, Alpha = 0.46, Lambda = 0.026, C = 0, NumberOfIterations = 27,
///     }),
///     new EstimatorRecommender.Options { IdColumns = IdColumnKind.Key }).Fit(train, users, items);
/// </code>
/// Its default regression loss needs labels that vary (<see cref="Options.UseValuesAsLabels"/>, or sampled negatives):
/// LIBMF divides the labels by their standard deviation, so with every label 1 (the harness's default) it scores every
/// pair NaN, which <see cref="Fit"/> rejects. Users and items without a training pair score NaN in regression mode;
/// the evaluator ranks NaN last.</para>
/// </remarks>
public sealed class EstimatorRecommender
{
    /// <summary>Options of the harness.</summary>
    public sealed class Options
    {
        /// <summary>Name of the user id column. Default <c>UserId</c>.</summary>
        public string UserIdColumnName = "UserId";

        /// <summary>Name of the item id column. Default <c>ItemId</c>.</summary>
        public string ItemIdColumnName = "ItemId";

        /// <summary>Name of the float label column. Default <c>Label</c>.</summary>
        public string LabelColumnName = "Label";

        /// <summary>Name of the float score column the fitted transformer must produce. Default <c>Score</c>.</summary>
        public string ScoreColumnName = "Score";

        /// <summary>Text ids (default) or key ids; see <see cref="IdColumnKind"/>.</summary>
        public IdColumnKind IdColumns = IdColumnKind.Text;

        /// <summary>
        /// Negatives sampled per train pair, uniformly with replacement from the items not in the user's train row.
        /// Must be ≥ 0. Default 0 (train pairs only, for one-class learners).
        /// </summary>
        public int NegativesPerPositive;

        /// <summary>Label of sampled negatives. Default 0.</summary>
        public float NegativeLabel;

        /// <summary>False (default): every train pair has label 1. True: its stored matrix value (for example a smoothed strength).</summary>
        public bool UseValuesAsLabels;

        /// <summary>Seed of negative sampling. Default 0.</summary>
        public int Seed;

        /// <summary>Users per scoring block (one data view and one cursor per block). Must be ≥ 1. Default 64.</summary>
        public int UsersPerBatch = 64;

        /// <summary>
        /// Threads scoring user blocks at once (each block has its own data view and cursor); null (default) = processor
        /// count. Must be ≥ 1 when given. Scores do not depend on it.
        /// </summary>
        public int? NumberOfThreads;

        /// <summary>
        /// Largest users × items grid the harness agrees to score. Must be ≥ 1. Default 100,000,000. Memory no longer
        /// grows with it (see the memory model); it guards the time of pushing every pair through the transformer as an
        /// ML.NET row (about a microsecond each).
        /// </summary>
        public long MaxScoredPairs = 100_000_000;

        /// <summary>Items kept per user, best first (the model's <c>TopItems</c>). Must be ≥ 1. Default 10.</summary>
        public int TopK = 10;

        /// <summary>Leave each user's train items out of the kept top-k lists (default true, as the evaluators do).</summary>
        public bool ExcludeTrainItems = true;
    }

    private readonly MLContext _mlContext;
    private readonly IEstimator<ITransformer> _estimator;
    private readonly Options _options;

    /// <summary>Creates the harness around an estimator.</summary>
    /// <exception cref="ArgumentException">A column name is empty, or two column names are equal.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A numeric option is out of range (the message names it).</exception>
    public EstimatorRecommender(MLContext mlContext, IEstimator<ITransformer> estimator, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(estimator);
        _mlContext = mlContext;
        _estimator = estimator;
        _options = options ?? new Options();
        var o = _options;
        foreach (var (name, value) in new[] { (nameof(Options.UserIdColumnName), o.UserIdColumnName), (nameof(Options.ItemIdColumnName), o.ItemIdColumnName),
                     (nameof(Options.LabelColumnName), o.LabelColumnName), (nameof(Options.ScoreColumnName), o.ScoreColumnName) })
        {
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"{name} must be a non-empty column name.", name);
        }
        if (o.UserIdColumnName == o.ItemIdColumnName || o.UserIdColumnName == o.LabelColumnName || o.ItemIdColumnName == o.LabelColumnName)
            throw new ArgumentException("UserIdColumnName, ItemIdColumnName and LabelColumnName must be three different names.", nameof(options));
        if (!Enum.IsDefined(o.IdColumns))
            throw new ArgumentOutOfRangeException(nameof(Options.IdColumns), o.IdColumns, "IdColumns must be Text or Key.");
        if (o.NegativesPerPositive < 0)
            throw new ArgumentOutOfRangeException(nameof(Options.NegativesPerPositive), o.NegativesPerPositive, "NegativesPerPositive must be >= 0.");
        if (!float.IsFinite(o.NegativeLabel))
            throw new ArgumentOutOfRangeException(nameof(Options.NegativeLabel), o.NegativeLabel, "NegativeLabel must be finite.");
        if (o.UsersPerBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.UsersPerBatch), o.UsersPerBatch, "UsersPerBatch must be at least 1.");
        if (o.NumberOfThreads is int threads && threads < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.NumberOfThreads), threads, "NumberOfThreads must be at least 1 (or null for the processor count).");
        if (o.MaxScoredPairs < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.MaxScoredPairs), o.MaxScoredPairs, "MaxScoredPairs must be at least 1.");
        if (o.TopK < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.TopK), o.TopK, "TopK must be at least 1.");
    }

    /// <summary>
    /// Fits the estimator on the train pairs, then scores every (user, item) pair block by block and keeps each user's
    /// top <see cref="Options.TopK"/> (see the memory model in the class remarks).
    /// </summary>
    /// <param name="train">User x item train pairs.</param>
    /// <param name="users">Row ids of <paramref name="train"/>.</param>
    /// <param name="items">Column ids of <paramref name="train"/>.</param>
    /// <exception cref="ArgumentException">The matrix and maps disagree, the grid is larger than
    /// <see cref="Options.MaxScoredPairs"/>, or the estimator does not produce a float score column.</exception>
    /// <exception cref="MemoryBudgetException">The scoring blocks and the top-k lists would not fit in
    /// <see cref="MemoryBudget"/> (the message names the bytes and the option that drives them).</exception>
    /// <exception cref="InvalidOperationException">The fitted transformer does not map rows one to one, or scored every
    /// pair NaN (nothing could be ranked; see the remarks on MatrixFactorization).</exception>
    public EstimatorRecommenderModel Fit(CsrMatrix train, IdMap users, IdMap items)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (train.Rows != users.Count || train.Columns != items.Count)
            throw new ArgumentException($"The train matrix is {train.Rows} x {train.Columns} but the maps have {users.Count} users and {items.Count} items.", nameof(train));
        long pairs = (long)users.Count * items.Count;
        if (pairs > _options.MaxScoredPairs)
            throw new ArgumentException($"Scoring {users.Count} users x {items.Count} items = {pairs} pairs exceeds Options.MaxScoredPairs ({_options.MaxScoredPairs}).", nameof(train));

        var o = _options;
        int blocks = (users.Count + o.UsersPerBatch - 1) / o.UsersPerBatch;
        int workers = Math.Max(1, Math.Min(blocks, o.NumberOfThreads ?? Environment.ProcessorCount));
        int k = Math.Min(o.TopK, items.Count);
        int blockUsers = Math.Min(o.UsersPerBatch, users.Count);
        RequireMemory(users.Count, items.Count, k, blockUsers, workers);

        var watch = Stopwatch.StartNew();
        var trainingRows = TrainingRows(train, users, items);
        var transformer = _estimator.Fit(trainingRows);
        double fitSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var top = new UserTopLists(users.Count, k);
        var scorer = new BlockScorer(transformer, users, items, o);
        int anyNumber = 0;
        int nextBlock = -1;
        void Work()
        {
            // Per-worker scratch, sized once: one block of scores and one exclusion mask.
            var scores = new float[(long)blockUsers * items.Count];
            var excluded = o.ExcludeTrainItems ? new bool[items.Count] : null;
            int block;
            while ((block = Interlocked.Increment(ref nextBlock)) < blocks)
            {
                int first = block * o.UsersPerBatch;
                int count = Math.Min(o.UsersPerBatch, users.Count - first);
                var span = scores.AsSpan(0, count * items.Count);
                scorer.Score(first, count, span);
                if (anyNumber == 0 && BlockScorer.HasAnyNumber(span)) Interlocked.Exchange(ref anyNumber, 1);
                for (int j = 0; j < count; j++)
                    top.Select(first + j, span.Slice(j * items.Count, items.Count), excluded is null ? null : train, excluded);
            }
        }
        if (workers == 1)
        {
            Work();
        }
        else
        {
            try
            {
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Work());
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        double scoringSeconds = watch.Elapsed.TotalSeconds;
        if (anyNumber == 0)
        {
            throw new InvalidOperationException(
                $"The fitted estimator scored all {pairs} (user, item) pairs NaN, so nothing can be ranked. " +
                "ML.NET's MatrixFactorization does this with its regression loss when every label is equal (set Options.UseValuesAsLabels, " +
                "sample negatives, or use LossFunction = SquareLossOneClass).");
        }
        var hasTraining = new bool[users.Count];
        for (int u = 0; u < users.Count; u++) hasTraining[u] = train.RowLength(u) > 0;
        return new EstimatorRecommenderModel(users, items, scorer, top, hasTraining, transformer, fitSeconds, scoringSeconds);
    }

    /// <summary>
    /// Bytes of a fit's scoring phase: <c>threads × B × items × 4</c> (score blocks of B = min(UsersPerBatch, users)
    /// users) <c>+ threads × items</c> (exclusion masks) <c>+ users × (k × 8 + 4)</c> (top-k lists and their lengths).
    /// </summary>
    internal static double ScoringBytes(int users, int items, int k, int blockUsers, int threads) =>
        (double)threads * blockUsers * items * sizeof(float) + (double)threads * items + (double)users * (k * 8.0 + 4);

    private void RequireMemory(int users, int items, int k, int blockUsers, int threads)
    {
        double bytes = ScoringBytes(users, items, k, blockUsers, threads);
        MemoryBudget.Require(
            string.Create(CultureInfo.InvariantCulture,
                $"Scoring {users:N0} users x {items:N0} items in blocks of {blockUsers:N0} users on {threads} thread(s) and keeping the top {k} per user"),
            nameof(Options.UsersPerBatch), _options.UsersPerBatch, bytes, Math.Max((double)blockUsers * items, (double)users * k));
    }

    /// <summary>The training data view: each train pair, followed by its sampled negatives.</summary>
    internal IDataView TrainingRows(CsrMatrix train, IdMap users, IdMap items)
    {
        var o = _options;
        int itemCount = items.Count;
        var rowUsers = new List<int>(train.NonZeroCount * (1 + o.NegativesPerPositive));
        var rowItems = new List<int>(rowUsers.Capacity);
        var labels = new List<float>(rowUsers.Capacity);
        var random = new Random(o.Seed);
        var inRow = new bool[itemCount];
        for (int u = 0; u < train.Rows; u++)
        {
            var row = train.RowIndices(u);
            var values = train.RowValues(u);
            foreach (int i in row) inRow[i] = true;
            bool canSample = row.Length < itemCount;
            for (int p = 0; p < row.Length; p++)
            {
                rowUsers.Add(u);
                rowItems.Add(row[p]);
                labels.Add(o.UseValuesAsLabels ? values[p] : 1f);
                if (!canSample) continue;
                for (int n = 0; n < o.NegativesPerPositive; n++)
                {
                    int j;
                    do j = random.Next(itemCount); while (inRow[j]);
                    rowUsers.Add(u);
                    rowItems.Add(j);
                    labels.Add(o.NegativeLabel);
                }
            }
            foreach (int i in row) inRow[i] = false;
        }
        return UserItemRowsDataView.FromPairs(users, items, o.IdColumns, o.UserIdColumnName, o.ItemIdColumnName, o.LabelColumnName,
            rowUsers.ToArray(), rowItems.ToArray(), labels.ToArray());
    }
}
