using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace DeskdropML.Trainers.Ffm;

/// <summary>
/// The in-box ML.NET baseline: <c>BinaryClassification.Trainers.FieldAwareFactorizationMachine</c> on two fields,
/// a one-hot user id and a one-hot item id, trained on the train pairs (label true) and sampled negatives
/// (label false).
/// </summary>
/// <remarks>
/// <para>Pipeline (ML.NET, on string columns <see cref="UserIdColumnName"/> and <see cref="ItemIdColumnName"/>):
/// <c>MapValueToKey</c> with the id map as key data (so key k is id index k − 1) → <c>MapKeyToVector</c> (one-hot
/// vectors of length |users| and |items|) → the FFM trainer with field 0 = user vector, field 1 = item vector.</para>
/// <para>Training rows: every stored train pair (u, i) is a positive; for each positive,
/// <see cref="Options.NegativesPerPositive"/> items are drawn uniformly (with replacement) from the items not in
/// u's train row, with a generator seeded by <see cref="Options.Seed"/>. A user whose row holds every item gets no
/// negatives.</para>
/// <para>The returned model scores all items by the FFM formula read from the learned weights (see
/// <see cref="FfmRecommenderModel"/>), not by running the ML.NET transformer row by row.</para>
/// </remarks>
public static class FfmRecommender
{
    /// <summary>Name of the user id column of the ML.NET pipeline (string).</summary>
    public const string UserIdColumnName = "UserId";

    /// <summary>Name of the item id column of the ML.NET pipeline (string).</summary>
    public const string ItemIdColumnName = "ItemId";

    /// <summary>Name of the label column (bool) of the training rows.</summary>
    public const string LabelColumnName = "Label";

    private const string UserFeatures = "UserFeatures";
    private const string ItemFeatures = "ItemFeatures";

    /// <summary>Options of the FFM baseline.</summary>
    public sealed class Options
    {
        /// <summary>Length d of each latent vector <c>v_{j,f}</c>. Must be ≥ 1. Default 20 (ML.NET's default).</summary>
        public int LatentDimension = 20;

        /// <summary>Training passes over the rows. Must be ≥ 1. Default 5 (ML.NET's default).</summary>
        public int NumberOfIterations = 5;

        /// <summary>Adagrad learning rate. Must be &gt; 0. Default 0.1 (ML.NET's default).</summary>
        public float LearningRate = 0.1f;

        /// <summary>L2 regularization of the linear weights. Must be ≥ 0. Default 1e-4.</summary>
        public float LambdaLinear = 1e-4f;

        /// <summary>L2 regularization of the latent weights. Must be ≥ 0. Default 1e-4.</summary>
        public float LambdaLatent = 1e-4f;

        /// <summary>Sampled negatives (label false) per train pair. Must be ≥ 1. Default 4.</summary>
        public int NegativesPerPositive = 4;

        /// <summary>Seed of negative sampling and of ML.NET (initialization, shuffling). Default 0.</summary>
        public int Seed;

        /// <summary>
        /// ML.NET's feature normalization: scales each row so that the concatenation of its field vectors has unit
        /// length — with one user and one item feature, both values become 1/√2. Default true (ML.NET's default).
        /// </summary>
        public bool NormalizeFeatures = true;

        /// <summary>Shuffle the rows at every iteration (default true).</summary>
        public bool Shuffle = true;
    }

    /// <summary>Fits the FFM baseline on a user x item training matrix.</summary>
    /// <param name="train">User x item train pairs (stored entries are positives, whatever their value).</param>
    /// <param name="users">Row ids of <paramref name="train"/>.</param>
    /// <param name="items">Column ids of <paramref name="train"/>.</param>
    /// <param name="options">Hyperparameters; null for the defaults.</param>
    /// <exception cref="ArgumentException">The matrix and maps disagree, or the matrix has no stored pair.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public static FfmRecommenderModel Fit(CsrMatrix train, IdMap users, IdMap items, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        options ??= new Options();
        Validate(options);
        if (train.Rows != users.Count || train.Columns != items.Count)
            throw new ArgumentException($"The train matrix is {train.Rows} x {train.Columns} but the maps have {users.Count} users and {items.Count} items.", nameof(train));
        if (train.NonZeroCount == 0)
            throw new ArgumentException("The train matrix has no stored pair to learn from.", nameof(train));

        RequireMemory(train, users.Count + items.Count, options);
        var ml = new MLContext(options.Seed);
        var rows = TrainingRows(train, users, items, options.NegativesPerPositive, options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows);

        var trainer = ml.BinaryClassification.Trainers.FieldAwareFactorizationMachine(new FieldAwareFactorizationMachineTrainer.Options
        {
            FeatureColumnName = UserFeatures,
            ExtraFeatureColumns = new[] { ItemFeatures },
            LabelColumnName = LabelColumnName,
            LatentDimension = options.LatentDimension,
            NumberOfIterations = options.NumberOfIterations,
            LearningRate = options.LearningRate,
            LambdaLinear = options.LambdaLinear,
            LambdaLatent = options.LambdaLatent,
            NormalizeFeatures = options.NormalizeFeatures,
            Shuffle = options.Shuffle,
            Verbose = false,
        });
        var pipeline = ml.Transforms.Conversion.MapValueToKey(UserFeatures, UserIdColumnName, keyData: KeyData(ml, users))
            .Append(ml.Transforms.Conversion.MapValueToKey(ItemFeatures, ItemIdColumnName, keyData: KeyData(ml, items)))
            .Append(ml.Transforms.Conversion.MapKeyToVector(UserFeatures))
            .Append(ml.Transforms.Conversion.MapKeyToVector(ItemFeatures))
            .Append(trainer);
        var transformer = pipeline.Fit(data);
        return FfmRecommenderModel.FromParameters(transformer, transformer.LastTransformer.Model, options.NormalizeFeatures, train, users, items);
    }

    private static void Validate(Options o)
    {
        if (o.LatentDimension < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.LatentDimension), o.LatentDimension, "LatentDimension must be at least 1.");
        if (o.NumberOfIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.NumberOfIterations), o.NumberOfIterations, "NumberOfIterations must be at least 1.");
        if (!(o.LearningRate > 0) || float.IsInfinity(o.LearningRate))
            throw new ArgumentOutOfRangeException(nameof(Options.LearningRate), o.LearningRate, "LearningRate must be a positive finite number.");
        if (!(o.LambdaLinear >= 0) || float.IsInfinity(o.LambdaLinear))
            throw new ArgumentOutOfRangeException(nameof(Options.LambdaLinear), o.LambdaLinear, "LambdaLinear must be a finite number >= 0.");
        if (!(o.LambdaLatent >= 0) || float.IsInfinity(o.LambdaLatent))
            throw new ArgumentOutOfRangeException(nameof(Options.LambdaLatent), o.LambdaLatent, "LambdaLatent must be a finite number >= 0.");
        if (o.NegativesPerPositive < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.NegativesPerPositive), o.NegativesPerPositive, "NegativesPerPositive must be at least 1 (a classifier needs negatives).");
    }

    /// <summary>
    /// Refuses a fit that would not fit the memory budget (<see cref="Memory.MemoryBudget"/>): about 64 bytes per training
    /// row (positives and sampled negatives) and ML.NET's latent weights and their gradient sums, features x 2 fields x
    /// the latent dimension rounded up to 4.
    /// </summary>
    private static void RequireMemory(CsrMatrix train, int features, Options o)
    {
        double rows = train.NonZeroCount * (1.0 + o.NegativesPerPositive);
        double latent = features * 2.0 * (Math.Ceiling(o.LatentDimension / 4.0) * 4);
        double rowBytes = 64 * rows, latentBytes = 2 * 4 * latent;
        bool rowsDominate = rowBytes >= latentBytes;
        Memory.MemoryBudget.Require(
            $"the FFM baseline with {rows:N0} training rows and latent dimension {o.LatentDimension:N0} over {features:N0} features",
            rowsDominate ? nameof(Options.NegativesPerPositive) : nameof(Options.LatentDimension),
            rowsDominate ? o.NegativesPerPositive : o.LatentDimension, rowBytes + latentBytes, Math.Max(rows, latent));
    }

    private static IDataView KeyData(MLContext ml, IdMap ids)
    {
        var rows = new KeyRow[ids.Count];
        for (int i = 0; i < rows.Length; i++) rows[i] = new KeyRow { Id = ids[i] };
        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Positives in matrix order, each followed by its sampled negatives.</summary>
    internal static List<PairRow> TrainingRows(CsrMatrix train, IdMap users, IdMap items, int negativesPerPositive, int seed)
    {
        var random = new Random(seed);
        var rows = new List<PairRow>(train.NonZeroCount * (1 + negativesPerPositive));
        int itemCount = items.Count;
        var inRow = new bool[itemCount];
        for (int u = 0; u < train.Rows; u++)
        {
            var row = train.RowIndices(u);
            if (row.IsEmpty) continue;
            foreach (int i in row) inRow[i] = true;
            bool canSample = row.Length < itemCount;
            foreach (int i in row)
            {
                rows.Add(new PairRow { UserId = users[u], ItemId = items[i], Label = true });
                if (!canSample) continue;
                for (int n = 0; n < negativesPerPositive; n++)
                {
                    int j;
                    do j = random.Next(itemCount); while (inRow[j]);
                    rows.Add(new PairRow { UserId = users[u], ItemId = items[j], Label = false });
                }
            }
            foreach (int i in row) inRow[i] = false;
        }
        return rows;
    }

    /// <summary>One training row.</summary>
    internal sealed class PairRow
    {
        [ColumnName(UserIdColumnName)] public string UserId { get; set; } = "";
        [ColumnName(ItemIdColumnName)] public string ItemId { get; set; } = "";
        [ColumnName(LabelColumnName)] public bool Label { get; set; }
    }

    private sealed class KeyRow
    {
        public string Id { get; set; } = "";
    }
}
