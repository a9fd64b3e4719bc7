using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DeskdropML.Features;

/// <summary>Input row of the TF-IDF re-weighting: raw term counts and ML.NET's TF-IDF of the same terms.</summary>
public sealed class TermCountsRow
{
    /// <summary>Term counts tf(t, d) (ML.NET <c>ProduceNgrams</c> with <c>Tf</c> weighting).</summary>
    [ColumnName(TextColumns.TermCounts)]
    public VBuffer<float> Counts;

    /// <summary>ML.NET's TF-IDF of the same slots: tf(t, d) * ln(N' / df'(t)) (see <see cref="ItemTextFeaturizer"/>).</summary>
    [ColumnName(TextColumns.MlNetTfIdf)]
    public VBuffer<float> MlNetTfIdf;
}

/// <summary>Output row of the TF-IDF re-weighting: the feature vector.</summary>
public sealed class TermWeightsRow
{
    /// <summary>The re-weighted, L2-normalised term vector (all zero when the article has no term).</summary>
    [ColumnName(TextColumns.Features)]
    public VBuffer<float> Weights;
}

/// <summary>
/// Turns ML.NET's TF-IDF into scikit-learn's smooth TF-IDF without storing any state.
/// </summary>
/// <remarks>
/// ML.NET's <c>ProduceNgrams(weighting: TfIdf)</c> computes <c>tf * ln(N / df)</c>. The featurizer fits it on the
/// corpus plus one extra document that holds every term once, so N' = n + 1 and df' = df + 1 and ML.NET's
/// factor is <c>ln((1 + n) / (1 + df))</c>. Per stored term this mapping recovers that factor as
/// <c>tfidf / tf</c> and returns <c>g(tf) * (ln((1 + n) / (1 + df)) + 1)</c> — scikit-learn's smooth idf — with
/// <c>g(tf) = tf</c> (this factory) or <c>1 + ln tf</c> (<see cref="SublinearTfIdfMappingFactory"/>).
/// Terms in every document (factor 0, possibly not stored by ML.NET) keep weight <c>g(tf)</c>.
/// The row is then divided by its L2 norm (a row without terms stays all zero). The normalisation is done here
/// rather than by ML.NET's <c>NormalizeLpNorm</c> because that transform only accepts known-size vectors, and a
/// custom mapping's output is a variable-size vector (its size is not recorded in the model zip).
/// </remarks>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class SmoothTfIdfMappingFactory : CustomMappingFactory<TermCountsRow, TermWeightsRow>
{
    /// <summary>The contract name recorded in model zips.</summary>
    public const string ContractName = "DeskdropML.SmoothTfIdf.v1";

    /// <summary>The mapping action (linear tf).</summary>
    public static void Map(TermCountsRow input, TermWeightsRow output) =>
        output.Weights = TfIdfReweighting.Reweight(input.Counts, input.MlNetTfIdf, sublinear: false);

    /// <inheritdoc />
    public override Action<TermCountsRow, TermWeightsRow> GetMapping() => Map;
}

/// <summary>
/// Like <see cref="SmoothTfIdfMappingFactory"/> with sublinear term frequency <c>1 + ln tf</c>
/// (scikit-learn's <c>sublinear_tf=True</c>).
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class SublinearTfIdfMappingFactory : CustomMappingFactory<TermCountsRow, TermWeightsRow>
{
    /// <summary>The contract name recorded in model zips.</summary>
    public const string ContractName = "DeskdropML.SublinearSmoothTfIdf.v1";

    /// <summary>The mapping action (sublinear tf).</summary>
    public static void Map(TermCountsRow input, TermWeightsRow output) =>
        output.Weights = TfIdfReweighting.Reweight(input.Counts, input.MlNetTfIdf, sublinear: true);

    /// <inheritdoc />
    public override Action<TermCountsRow, TermWeightsRow> GetMapping() => Map;
}

internal static class TfIdfReweighting
{
    /// <summary>See <see cref="SmoothTfIdfMappingFactory"/>; returns a new L2-normalised sparse vector of the counts' length.</summary>
    public static VBuffer<float> Reweight(in VBuffer<float> counts, in VBuffer<float> mlNetTfIdf, bool sublinear)
    {
        if (mlNetTfIdf.Length != counts.Length)
            throw new InvalidOperationException($"Term count ({counts.Length}) and TF-IDF ({mlNetTfIdf.Length}) vectors differ in length.");
        var countValues = counts.GetValues();
        var countIndices = counts.GetIndices();
        var tfidfValues = mlNetTfIdf.GetValues();
        var tfidfIndices = mlNetTfIdf.GetIndices();
        bool countsDense = counts.IsDense, tfidfDense = mlNetTfIdf.IsDense;

        int stored = 0;
        for (int p = 0; p < countValues.Length; p++) if (countValues[p] != 0) stored++;
        var indices = new int[stored];
        var values = new float[stored];
        int q = 0, w = 0;
        for (int p = 0; p < countValues.Length; p++)
        {
            float tf = countValues[p];
            if (tf == 0) continue;
            int slot = countsDense ? p : countIndices[p];
            float tfidf;
            if (tfidfDense)
            {
                tfidf = tfidfValues[slot];
            }
            else
            {
                while (q < tfidfIndices.Length && tfidfIndices[q] < slot) q++;
                tfidf = q < tfidfIndices.Length && tfidfIndices[q] == slot ? tfidfValues[q] : 0f;
            }
            double shiftedIdf = (double)tfidf / tf; // ln((1 + n) / (1 + df))
            double g = sublinear ? 1 + Math.Log(tf) : tf;
            indices[w] = slot;
            values[w] = (float)(g * (shiftedIdf + 1));
            w++;
        }
        double squares = 0;
        for (int i = 0; i < values.Length; i++) squares += (double)values[i] * values[i];
        if (squares > 0)
        {
            float scale = (float)(1 / Math.Sqrt(squares));
            System.Numerics.Tensors.TensorPrimitives.Multiply(values, scale, values);
        }
        return new VBuffer<float>(counts.Length, stored, values, indices);
    }
}
