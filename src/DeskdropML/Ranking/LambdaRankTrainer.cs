using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace DeskdropML.Ranking;

/// <summary>
/// Stage 2 of the two-stage recommender: a LightGBM LambdaRank model trained through ML.NET
/// (<c>mlContext.Ranking.Trainers.LightGbm</c>) on <see cref="RankingRows"/>.
/// </summary>
/// <remarks>
/// LambdaRank optimises NDCG directly: each boosting round fits trees to the gradients
/// <c>λ_ij = |ΔNDCG_ij| · σ(s_j − s_i)</c> summed over the mis-ordered (relevant i, irrelevant j) pairs of a group
/// (Burges 2010). Groups without a relevant row carry no gradient. The trained ensemble is kept both as the ML.NET
/// transformer (saved into the model zip) and as flat tree arrays for fast, thread-safe scoring (<see cref="TreeEnsembleScorer"/>).
/// </remarks>
public sealed class LambdaRankTrainer
{
    /// <summary>Options of the LightGBM LambdaRank trainer.</summary>
    public sealed class Options
    {
        /// <summary>Boosting rounds (trees), ≥ 1. Default 100.</summary>
        public int NumberOfIterations = 100;

        /// <summary>Maximum leaves per tree, ≥ 2. Default 15.</summary>
        public int NumberOfLeaves = 15;

        /// <summary>Minimum rows per leaf, ≥ 1. Default 50.</summary>
        public int MinimumExampleCountPerLeaf = 50;

        /// <summary>Shrinkage, in (0, 1]. Default 0.1.</summary>
        public double LearningRate = 0.1;

        /// <summary>L2 regularisation of the leaf values, ≥ 0. Default 1.</summary>
        public double L2Regularization = 1;

        /// <summary>Seed of LightGBM's sampling. Default 1.</summary>
        public int Seed = 1;

        /// <summary>LightGBM threads, ≥ 1. Default 1 (deterministic).</summary>
        public int NumberOfThreads = 1;

        internal Options Clone() => (Options)MemberwiseClone();
    }

    private readonly Options _options;

    /// <summary>Creates the trainer after validating the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named by the exception's parameter).</exception>
    public LambdaRankTrainer(Options? options = null)
    {
        _options = (options ?? new Options()).Clone();
        var o = _options;
        if (o.NumberOfIterations < 1 || o.NumberOfIterations > 100_000) throw new ArgumentOutOfRangeException(nameof(Options.NumberOfIterations), o.NumberOfIterations, "NumberOfIterations must be in [1, 100000].");
        if (o.NumberOfLeaves < 2 || o.NumberOfLeaves > 131_072) throw new ArgumentOutOfRangeException(nameof(Options.NumberOfLeaves), o.NumberOfLeaves, "NumberOfLeaves must be in [2, 131072].");
        if (o.MinimumExampleCountPerLeaf < 1) throw new ArgumentOutOfRangeException(nameof(Options.MinimumExampleCountPerLeaf), o.MinimumExampleCountPerLeaf, "MinimumExampleCountPerLeaf must be ≥ 1.");
        if (!(o.LearningRate > 0 && o.LearningRate <= 1)) throw new ArgumentOutOfRangeException(nameof(Options.LearningRate), o.LearningRate, "LearningRate must be in (0, 1].");
        if (!(o.L2Regularization >= 0) || double.IsInfinity(o.L2Regularization)) throw new ArgumentOutOfRangeException(nameof(Options.L2Regularization), o.L2Regularization, "L2Regularization must be finite and ≥ 0.");
        if (o.NumberOfThreads < 1) throw new ArgumentOutOfRangeException(nameof(Options.NumberOfThreads), o.NumberOfThreads, "NumberOfThreads must be ≥ 1.");
    }

    /// <summary>Trains on the rows (at least one group must hold a relevant row).</summary>
    /// <param name="rows">Training rows.</param>
    /// <param name="featureNames">One name per feature (kept with the model for importances).</param>
    /// <exception cref="ArgumentException">No relevant row, or the names do not match the feature count.</exception>
    public LambdaRankModel Fit(RankingRows rows, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (featureNames.Count != rows.FeatureCount) throw new ArgumentException($"{featureNames.Count} names for {rows.FeatureCount} features.", nameof(featureNames));
        if (rows.Positives == 0) throw new ArgumentException("The training rows hold no relevant row: LambdaRank has nothing to learn.", nameof(rows));
        var ml = new MLContext(_options.Seed);
        var view = ToDataView(ml, rows);
        var o = _options;
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            RowGroupColumnName = "GroupId",
            NumberOfIterations = o.NumberOfIterations,
            NumberOfLeaves = o.NumberOfLeaves,
            MinimumExampleCountPerLeaf = o.MinimumExampleCountPerLeaf,
            LearningRate = o.LearningRate,
            NumberOfThreads = o.NumberOfThreads,
            Seed = o.Seed,
            Deterministic = true,
            Silent = true,
            Verbose = false,
            MinimumExampleCountPerGroup = 1,
            MaximumBinCountPerFeature = 255,
            Booster = new GradientBooster.Options { L2Regularization = o.L2Regularization },
        });
        var transformer = trainer.Fit(view);
        return new LambdaRankModel(ml, transformer, view.Schema, featureNames.ToArray());
    }

    /// <summary>The rows as an ML.NET data view: Label (float), GroupId (key, 1-based) and Features (vector of float).</summary>
    internal static IDataView ToDataView(MLContext ml, RankingRows rows)
    {
        int f = rows.FeatureCount;
        var list = new List<Row>(rows.Count);
        var features = rows.Features;
        var labels = rows.Labels;
        for (int g = 0; g < rows.GroupCount; g++)
        {
            var (start, count) = rows.Group(g);
            for (int r = start; r < start + count; r++)
                list.Add(new Row { Label = labels[r], GroupId = (uint)g + 1, Features = features.Slice(r * f, f).ToArray() });
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, f);
        schema[nameof(Row.GroupId)].ColumnType = new KeyDataViewType(typeof(uint), (ulong)Math.Max(1, rows.GroupCount));
        return ml.Data.LoadFromEnumerable(list, schema);
    }

    internal sealed class Row
    {
        public float Label { get; set; }
        public uint GroupId { get; set; }
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
