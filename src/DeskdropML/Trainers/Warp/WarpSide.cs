using System.Numerics;
using System.Numerics.Tensors;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// The learned state of one side (users or items) of a WARP model: the combined feature matrix
/// (rows x features, identity columns first), one embedding of length d and one bias per feature, and the
/// optimiser's per-parameter accumulators. The representation of row r is
/// <c>p_r = Σ_f x_rf e_f</c> and its bias <c>b_r = Σ_f x_rf β_f</c>.
/// </summary>
/// <remarks>Mutable during training only; a <see cref="WarpModelParameters"/> never exposes it for writing.</remarks>
internal sealed class WarpSide
{
    public WarpSide(CsrMatrix features, int components, float[] embeddings, float[] biases,
        float[] embeddingAccumulators, float[] biasAccumulators, float[]? embeddingDeltas, float[]? biasDeltas)
    {
        Features = features;
        Components = components;
        Embeddings = embeddings;
        Biases = biases;
        EmbeddingAccumulators = embeddingAccumulators;
        BiasAccumulators = biasAccumulators;
        EmbeddingDeltas = embeddingDeltas;
        BiasDeltas = biasDeltas;
        SingleFeature = new int[features.Rows];
        for (int r = 0; r < features.Rows; r++)
        {
            var idx = features.RowIndices(r);
            SingleFeature[r] = idx.Length == 1 && features.RowValues(r)[0] == 1f ? idx[0] : -1;
        }
    }

    /// <summary>Per row: the row's only feature when the row is exactly one feature with value 1, else -1.</summary>
    public int[] SingleFeature { get; }

    /// <summary>Rows x features (combined: identity columns first when enabled, then side features).</summary>
    public CsrMatrix Features { get; }

    public int Components { get; }

    public int FeatureCount => Features.Columns;

    /// <summary>Feature embeddings, feature-major: feature f occupies [f·d, (f+1)·d).</summary>
    public float[] Embeddings { get; }

    public float[] Biases { get; }

    /// <summary>Adagrad: running sum of squared gradients (starts at 1). Adadelta: E[g²] (starts at 0).</summary>
    public float[] EmbeddingAccumulators { get; }

    public float[] BiasAccumulators { get; }

    /// <summary>Adadelta only: E[Δ²] (starts at 0); null for Adagrad.</summary>
    public float[]? EmbeddingDeltas { get; }

    public float[]? BiasDeltas { get; }

    /// <summary>A freshly initialised side: embeddings uniform in [-0.5, 0.5) / d, biases 0 (LightFM's init).</summary>
    public static WarpSide CreateInitial(CsrMatrix features, int components, WarpLearningSchedule schedule, ref WarpRandom rng)
    {
        int n = features.Columns;
        var emb = new float[n * components];
        for (int i = 0; i < emb.Length; i++) emb[i] = (rng.NextFloat() - 0.5f) / components;
        bool adagrad = schedule == WarpLearningSchedule.Adagrad;
        var embAcc = new float[emb.Length];
        var biasAcc = new float[n];
        if (adagrad)
        {
            Array.Fill(embAcc, 1f);
            Array.Fill(biasAcc, 1f);
        }
        return new WarpSide(features, components, emb, new float[n], embAcc, biasAcc,
            adagrad ? null : new float[emb.Length], adagrad ? null : new float[n]);
    }

    /// <summary>A deep copy of the learned arrays (the feature matrix is immutable and shared).</summary>
    public WarpSide Clone() => new(Features, Components, (float[])Embeddings.Clone(), (float[])Biases.Clone(),
        (float[])EmbeddingAccumulators.Clone(), (float[])BiasAccumulators.Clone(),
        (float[]?)EmbeddingDeltas?.Clone(), (float[]?)BiasDeltas?.Clone());

    /// <summary>Writes <c>[p_r (d values), b_r]</c> of one row into <paramref name="repr"/> (length d + 1).</summary>
    public void Represent(int row, Span<float> repr)
    {
        int d = Components;
        int f = SingleFeature[row];
        if (f >= 0)
        {
            Embeddings.AsSpan(f * d, d).CopyTo(repr);
            repr[d] = Biases[f];
            return;
        }
        RepresentFeatures(Features.RowIndices(row), Features.RowValues(row), repr);
    }

    /// <summary>Writes <c>[Σ x_f e_f, Σ x_f β_f]</c> for an arbitrary feature row (combined feature indices).</summary>
    public void RepresentFeatures(ReadOnlySpan<int> idx, ReadOnlySpan<float> val, Span<float> repr)
    {
        int d = Components;
        var p = repr.Slice(0, d);
        p.Clear();
        float bias = 0f;
        for (int k = 0; k < idx.Length; k++)
        {
            int f = idx[k];
            float x = val[k];
            TensorPrimitives.MultiplyAdd(Embeddings.AsSpan(f * d, d), x, p, p);
            bias += x * Biases[f];
        }
        repr[d] = bias;
    }

    /// <summary>True when every embedding and bias is finite.</summary>
    public bool AllFinite() => IsAllFinite(Embeddings) && IsAllFinite(Biases);

    private static bool IsAllFinite(ReadOnlySpan<float> values)
    {
        // v - v is 0 for finite v and NaN for ±∞ and NaN.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values.Slice(i));
                acc += v - v;
            }
            if (!Vector.EqualsAll(acc, Vector<float>.Zero)) return false;
        }
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return false;
        return true;
    }
}
