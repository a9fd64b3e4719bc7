using System.Diagnostics;
using System.Runtime.ExceptionServices;
using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Baselines;

/// <summary>
/// Turns any ML.NET estimator that scores (user, item) rows into a recommender: fits it on the train pairs
/// (optionally with sampled negatives), then scores every (user, item) pair through the fitted transformer and keeps
/// the scores as an <see cref="EstimatorRecommenderModel"/>.
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
/// row order; blocks run on <see cref="Options.NumberOfThreads"/> threads. The users × items score matrix is kept in memory (4 bytes per pair), so the harness is meant for
/// catalogues like Deskdrop's; <see cref="Options.MaxScoredPairs"/> guards against accidental huge grids.</para>
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

        /// <summary>Largest users × items grid the harness agrees to score. Must be ≥ 1. Default 100,000,000 (400 MB of scores).</summary>
        public long MaxScoredPairs = 100_000_000;
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
        if (o.MaxScoredPairs < 1 || o.MaxScoredPairs > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(Options.MaxScoredPairs), o.MaxScoredPairs, $"MaxScoredPairs must be in [1, {Array.MaxLength}] (one array holds the scores).");
    }

    /// <summary>Fits the estimator on the train pairs and scores every (user, item) pair.</summary>
    /// <param name="train">User x item train pairs.</param>
    /// <param name="users">Row ids of <paramref name="train"/>.</param>
    /// <param name="items">Column ids of <paramref name="train"/>.</param>
    /// <exception cref="ArgumentException">The matrix and maps disagree, the grid is larger than
    /// <see cref="Options.MaxScoredPairs"/>, or the estimator does not produce a float score column.</exception>
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
        var watch = Stopwatch.StartNew();
        var trainingRows = TrainingRows(train, users, items);
        var transformer = _estimator.Fit(trainingRows);
        double fitSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var scores = new float[pairs];
        int blocks = (users.Count + o.UsersPerBatch - 1) / o.UsersPerBatch;
        void ScoreBlock(int block)
        {
            int first = block * o.UsersPerBatch;
            int count = Math.Min(o.UsersPerBatch, users.Count - first);
            var grid = UserItemRowsDataView.Grid(users, items, o.IdColumns, o.UserIdColumnName, o.ItemIdColumnName, o.LabelColumnName, first, count);
            ReadScores(transformer.Transform(grid), scores.AsSpan((int)((long)first * items.Count), count * items.Count));
        }
        int workers = Math.Min(blocks, o.NumberOfThreads ?? Environment.ProcessorCount);
        if (workers <= 1)
        {
            for (int b = 0; b < blocks; b++) ScoreBlock(b);
        }
        else
        {
            try
            {
                Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = workers }, ScoreBlock);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        double scoringSeconds = watch.Elapsed.TotalSeconds;
        if (!HasAnyNumber(scores))
        {
            throw new InvalidOperationException(
                $"The fitted estimator scored all {pairs} (user, item) pairs NaN, so nothing can be ranked. " +
                "ML.NET's MatrixFactorization does this with its regression loss when every label is equal (set Options.UseValuesAsLabels, " +
                "sample negatives, or use LossFunction = SquareLossOneClass).");
        }
        var hasTraining = new bool[users.Count];
        for (int u = 0; u < users.Count; u++) hasTraining[u] = train.RowLength(u) > 0;
        return new EstimatorRecommenderModel(users, items, scores, hasTraining, transformer, fitSeconds, scoringSeconds);
    }

    private static bool HasAnyNumber(ReadOnlySpan<float> scores)
    {
        foreach (float s in scores)
            if (!float.IsNaN(s)) return true;
        return false;
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

    private void ReadScores(IDataView scored, Span<float> destination)
    {
        var column = scored.Schema.GetColumnOrNull(_options.ScoreColumnName);
        if (column is not DataViewSchema.Column score || score.Type != NumberDataViewType.Single)
        {
            throw new ArgumentException(
                $"The fitted estimator must produce a float column '{_options.ScoreColumnName}'; its output columns are: " +
                string.Join(", ", scored.Schema.Select(c => $"{c.Name} ({c.Type})")) + ".", "estimator");
        }
        using var cursor = scored.GetRowCursor(new[] { score });
        var getter = cursor.GetGetter<float>(score);
        int written = 0;
        float value = 0;
        while (cursor.MoveNext())
        {
            if (written == destination.Length)
                throw new InvalidOperationException($"The transformer returned more rows than the {destination.Length} it was given; a scoring transformer must map rows one to one.");
            getter(ref value);
            destination[written++] = value;
        }
        if (written != destination.Length)
            throw new InvalidOperationException($"The transformer returned {written} rows for {destination.Length} input rows; a scoring transformer must map rows one to one.");
    }
}
