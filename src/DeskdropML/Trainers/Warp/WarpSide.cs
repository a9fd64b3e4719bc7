using System.Numerics;
using System.Numerics.Tensors;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// The learned state of one side (users or items) of a WARP model: the combined feature matrix
/// (rows x features, identity columns first), one embedding e_f of length d and one bias β_f per feature, and the
/// optimiser's per-parameter accumulators. The representation of row r is <c>p_r = Σ_f x_rf e_f</c> and its bias
/// <c>b_r = Σ_f x_rf β_f</c>.
/// </summary>
/// <remarks>
/// Layout: feature f owns the block <c>[f·S, (f+1)·S)</c> with stride S = d + 1 in each array:
/// <see cref="Parameters"/> holds <c>[e_f, β_f]</c>, <see cref="Accumulators"/> the matching optimiser accumulators
/// and <see cref="Deltas"/> (Adadelta only) the matching E[Δ²]. Keeping a feature's embedding and bias (and their
/// accumulators) contiguous means one cache region per feature for the scoring reads and two for an update, instead
/// of four separate arrays. A representation buffer <c>[p, b]</c> has the same shape as a parameter block.
/// Mutable during training only; a <see cref="WarpModelParameters"/> never exposes it for writing.
/// </remarks>
internal sealed class WarpSide
{
    public WarpSide(CsrMatrix features, int components, float[] parameters, float[] accumulators, float[]? deltas)
    {
        Features = features;
        Components = components;
        Parameters = parameters;
        Accumulators = accumulators;
        Deltas = deltas;
        SingleFeature = new int[features.Rows];
        for (int r = 0; r < features.Rows; r++)
        {
            var idx = features.RowIndices(r);
            SingleFeature[r] = idx.Length == 1 && features.RowValues(r)[0] == 1f ? idx[0] : -1;
        }
    }

    /// <summary>Rows x features (combined: identity columns first when enabled, then side features).</summary>
    public CsrMatrix Features { get; }

    public int Components { get; }

    /// <summary>Block stride d + 1.</summary>
    public int Stride => Components + 1;

    public int FeatureCount => Features.Columns;

    /// <summary>Per feature <c>[e_f (d values), β_f]</c>, stride d + 1.</summary>
    public float[] Parameters { get; }

    /// <summary>Adagrad: running sum of squared gradients (starts at 1). Adadelta: E[g²] (starts at 0). Stride d + 1.</summary>
    public float[] Accumulators { get; }

    /// <summary>Adadelta only: E[Δ²] (starts at 0), stride d + 1; null for Adagrad.</summary>
    public float[]? Deltas { get; }

    /// <summary>Per row: the row's only feature when the row is exactly one feature with value 1, else -1.</summary>
    public int[] SingleFeature { get; }

    /// <summary>The embedding e_f.</summary>
    public Span<float> Embedding(int feature) => Parameters.AsSpan(feature * Stride, Components);

    /// <summary>The bias β_f.</summary>
    public ref float Bias(int feature) => ref Parameters[feature * Stride + Components];

    /// <summary>A freshly initialised side: embeddings uniform in [-0.5, 0.5) / d, biases 0 (LightFM's init).</summary>
    public static WarpSide CreateInitial(CsrMatrix features, int components, WarpLearningSchedule schedule, ref WarpRandom rng)
    {
        int n = features.Columns;
        int stride = components + 1;
        var parameters = new float[n * stride];
        for (int f = 0; f < n; f++)
            for (int c = 0; c < components; c++)
                parameters[f * stride + c] = (rng.NextFloat() - 0.5f) / components;
        bool adagrad = schedule == WarpLearningSchedule.Adagrad;
        var accumulators = new float[parameters.Length];
        if (adagrad) Array.Fill(accumulators, 1f);
        return new WarpSide(features, components, parameters, accumulators, adagrad ? null : new float[parameters.Length]);
    }

    /// <summary>
    /// This side grown to <paramref name="rows"/> identity-only rows (rows ≥ the current count): the existing features
    /// keep their parameters and optimiser state; each new row gets a new identity feature initialised as
    /// <see cref="CreateInitial"/> does (uniform in [-0.5, 0.5) / d, bias 0, fresh accumulators).
    /// </summary>
    public WarpSide GrowIdentity(int rows, WarpLearningSchedule schedule, ref WarpRandom rng)
    {
        int old = Features.Columns;
        if (Features.Rows != old) throw new InvalidOperationException("Only an identity-only side can grow.");
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, old);
        var grown = CreateInitial(CsrMatrix.Identity(rows), Components, schedule, ref rng);
        int keep = old * Stride;
        Parameters.AsSpan(0, keep).CopyTo(grown.Parameters);
        Accumulators.AsSpan(0, keep).CopyTo(grown.Accumulators);
        Deltas?.AsSpan(0, keep).CopyTo(grown.Deltas);
        return grown;
    }

    /// <summary>A deep copy of the learned arrays (the feature matrix is immutable and shared).</summary>
    public WarpSide Clone() => new(Features, Components, (float[])Parameters.Clone(), (float[])Accumulators.Clone(), (float[]?)Deltas?.Clone());

    /// <summary>Writes <c>[p_r (d values), b_r]</c> of one row into <paramref name="repr"/> (length d + 1).</summary>
    public void Represent(int row, Span<float> repr) => Represent(row, repr, WarpKernels.UseVectorPath);

    /// <summary>As <see cref="Represent(int, Span{float})"/>, with the AVX-512 (<paramref name="vector"/>) or portable kernels.</summary>
    public void Represent(int row, Span<float> repr, bool vector)
    {
        int f = SingleFeature[row];
        if (f >= 0)
        {
            Parameters.AsSpan(f * Stride, Stride).CopyTo(repr);
            return;
        }
        WarpKernels.SumBlocks(Parameters, Stride, Features.RowIndices(row), Features.RowValues(row), repr, vector);
    }

    /// <summary>Writes <c>[Σ x_f e_f, Σ x_f β_f]</c> for an arbitrary feature row (combined feature indices).</summary>
    public void RepresentFeatures(ReadOnlySpan<int> idx, ReadOnlySpan<float> val, Span<float> repr)
    {
        WarpKernels.SumBlocks(Parameters, Stride, idx, val, repr, WarpKernels.UseVectorPath);
    }

    /// <summary>Hints the cache to fetch the parameter block (and, if <paramref name="withState"/>, the optimiser
    /// state) of a single-feature row; rows of several features are left alone.</summary>
    public void PrefetchRow(int row, bool withState)
    {
        int f = SingleFeature[row];
        if (f < 0) return;
        int stride = Stride;
        WarpKernels.Prefetch(Parameters, f * stride, stride);
        if (withState) WarpKernels.Prefetch(Accumulators, f * stride, stride);
    }

    /// <summary>Copies the embeddings into a feature-major array (feature f at [f·d, (f+1)·d)).</summary>
    public float[] CopyEmbeddings() => CopyColumns(Parameters, 0, Components);

    /// <summary>Copies the biases.</summary>
    public float[] CopyBiases() => CopyColumns(Parameters, Components, 1);

    /// <summary>Copies the embedding part of a stride-(d+1) array (accumulators, deltas).</summary>
    public float[] CopyEmbeddingPart(float[] blocks) => CopyColumns(blocks, 0, Components);

    /// <summary>Copies the bias part of a stride-(d+1) array.</summary>
    public float[] CopyBiasPart(float[] blocks) => CopyColumns(blocks, Components, 1);

    private float[] CopyColumns(float[] blocks, int offset, int width)
    {
        int n = FeatureCount;
        var result = new float[n * width];
        for (int f = 0; f < n; f++) blocks.AsSpan(f * Stride + offset, width).CopyTo(result.AsSpan(f * width, width));
        return result;
    }

    /// <summary>Interleaves feature-major embeddings (n·d) and biases (n) into blocks of stride d + 1.</summary>
    public static float[] Interleave(float[] embeddings, float[] biases, int components)
    {
        int n = biases.Length;
        int stride = components + 1;
        var blocks = new float[n * stride];
        for (int f = 0; f < n; f++)
        {
            embeddings.AsSpan(f * components, components).CopyTo(blocks.AsSpan(f * stride, components));
            blocks[f * stride + components] = biases[f];
        }
        return blocks;
    }

    /// <summary>True when every embedding and bias is finite.</summary>
    public bool AllFinite() => IsAllFinite(Parameters);

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
