using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace DeskdropML.Ranking;

/// <summary>
/// A trained LambdaRank ensemble: the ML.NET transformer (what is saved) and the same trees as flat arrays for fast,
/// allocation-free, thread-safe scoring; with the features' names and their LightGBM gain importances.
/// </summary>
public sealed class LambdaRankModel
{
    internal LambdaRankModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, string[] featureNames)
    {
        Context = ml;
        Transformer = transformer;
        InputSchema = inputSchema;
        FeatureNames = featureNames;
        var parameters = Parameters(transformer);
        Scorer = TreeEnsembleScorer.From(parameters.TrainedTreeEnsemble, featureNames.Length);
        VBuffer<float> weights = default;
        parameters.GetFeatureWeights(ref weights);
        var dense = new float[featureNames.Length];
        weights.CopyTo(dense);
        Importances = dense;
    }

    /// <summary>The ML.NET context that owns the transformer.</summary>
    public MLContext Context { get; }

    /// <summary>The ML.NET ranking transformer (input: <c>Features</c>, a float vector; output: <c>Score</c>).</summary>
    public ITransformer Transformer { get; }

    /// <summary>The schema the transformer was trained on.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Feature names in vector order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>LightGBM's gain importance of each feature (summed split gains), vector order.</summary>
    public IReadOnlyList<float> Importances { get; }

    /// <summary>The flat trees.</summary>
    public TreeEnsembleScorer Scorer { get; }

    /// <summary>Scores rows (row-major, <c>FeatureNames.Count</c> values each) into <paramref name="scores"/>.</summary>
    public void Score(ReadOnlySpan<float> rows, Span<float> scores) => Scorer.Score(rows, scores);

    /// <summary>Writes the ML.NET model to a stream.</summary>
    public void Save(Stream stream) => Context.Model.Save(Transformer, InputSchema, stream);

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static LambdaRankModel Load(Stream stream, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        var ml = new MLContext(0);
        var transformer = ml.Model.Load(stream, out var schema);
        return new LambdaRankModel(ml, transformer, schema, featureNames.ToArray());
    }

    private static LightGbmRankingModelParameters Parameters(ITransformer transformer)
    {
        var t = transformer;
        if (t is TransformerChain<ITransformer> chain) t = chain.LastTransformer;
        if (t is ISingleFeaturePredictionTransformer<LightGbmRankingModelParameters> p) return p.Model;
        if (t is IEnumerable<ITransformer> seq && seq.LastOrDefault() is ISingleFeaturePredictionTransformer<LightGbmRankingModelParameters> q) return q.Model;
        throw new InvalidDataException($"The ranker is a {t.GetType().Name}, not a LightGBM ranking transformer.");
    }
}

/// <summary>
/// A tree ensemble as flat arrays: score(x) = bias + Σ_t w_t · leaf_t(x), where a node sends x left when
/// <c>x[feature] ≤ threshold</c> (ML.NET's convention) and a negative child <c>~l</c> is leaf l.
/// </summary>
public sealed class TreeEnsembleScorer
{
    private readonly int[][] _left, _right, _feature;
    private readonly float[][] _threshold;
    private readonly double[][] _leaf;
    private readonly double[] _weight;
    private readonly double _bias;

    private TreeEnsembleScorer(int[][] left, int[][] right, int[][] feature, float[][] threshold, double[][] leaf, double[] weight, double bias, int features)
    {
        _left = left; _right = right; _feature = feature; _threshold = threshold; _leaf = leaf; _weight = weight; _bias = bias;
        FeatureCount = features;
    }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of trees.</summary>
    public int TreeCount => _leaf.Length;

    internal static TreeEnsembleScorer From(Microsoft.ML.Trainers.FastTree.RegressionTreeEnsemble ensemble, int features)
    {
        int n = ensemble.Trees.Count;
        var left = new int[n][]; var right = new int[n][]; var feature = new int[n][]; var threshold = new float[n][]; var leaf = new double[n][];
        var weight = new double[n];
        for (int t = 0; t < n; t++)
        {
            var tree = ensemble.Trees[t];
            for (int k = 0; k < tree.NumberOfNodes; k++)
                if (tree.CategoricalSplitFlags[k]) throw new NotSupportedException("Categorical splits are not used by the ranker.");
            left[t] = tree.LeftChild.ToArray();
            right[t] = tree.RightChild.ToArray();
            feature[t] = tree.NumericalSplitFeatureIndexes.ToArray();
            threshold[t] = tree.NumericalSplitThresholds.ToArray();
            leaf[t] = tree.LeafValues.ToArray();
            weight[t] = ensemble.TreeWeights[t];
        }
        return new TreeEnsembleScorer(left, right, feature, threshold, leaf, weight, ensemble.Bias, features);
    }

    /// <summary>Scores rows (row-major) into <paramref name="scores"/> (one per row).</summary>
    public void Score(ReadOnlySpan<float> rows, Span<float> scores)
    {
        int f = FeatureCount;
        if (rows.Length % f != 0 || scores.Length < rows.Length / f) throw new ArgumentException("rows must hold whole rows and scores one slot per row.");
        for (int r = 0; r < rows.Length / f; r++) scores[r] = (float)Score(rows.Slice(r * f, f));
    }

    /// <summary>The score of one row.</summary>
    public double Score(ReadOnlySpan<float> x)
    {
        double s = _bias;
        for (int t = 0; t < _leaf.Length; t++)
        {
            var left = _left[t];
            if (left.Length == 0) { s += _weight[t] * _leaf[t][0]; continue; }
            var right = _right[t]; var feature = _feature[t]; var threshold = _threshold[t];
            int node = 0;
            while (node >= 0) node = x[feature[node]] <= threshold[node] ? left[node] : right[node];
            s += _weight[t] * _leaf[t][~node];
        }
        return s;
    }
}
