using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// BM25 / TF-IDF re-weighting of a user x item strength matrix (see <see cref="AlsWeighting"/>): items are the
/// documents and users the terms, as in <c>implicit</c>'s examples. The transform of one user's row depends only on
/// that row, the number of items and (BM25) the item length norms learned from the training matrix, so a fold-in user
/// is weighted exactly like a training user.
/// </summary>
internal sealed class AlsMatrixWeighting
{
    private readonly AlsWeighting _kind;
    private readonly float _k1;
    private readonly int _itemCount;
    private readonly float[]? _itemLengthNorms;

    private AlsMatrixWeighting(AlsWeighting kind, float k1, int itemCount, float[]? itemLengthNorms)
    {
        _kind = kind;
        _k1 = k1;
        _itemCount = itemCount;
        _itemLengthNorms = itemLengthNorms;
    }

    /// <summary>The BM25 length norm <c>L_i</c> of every item (null unless BM25).</summary>
    public float[]? ItemLengthNorms => _itemLengthNorms;

    /// <summary>Learns the weighting from the training matrix (BM25: the item length norms).</summary>
    public static AlsMatrixWeighting Learn(CsrMatrix train, AlsWeighting kind, float k1, float b)
    {
        float[]? norms = null;
        if (kind == AlsWeighting.Bm25)
        {
            var sums = new double[train.Columns];
            ReadOnlySpan<int> cols = train.ColumnIndices;
            ReadOnlySpan<float> vals = train.Values;
            for (int p = 0; p < cols.Length; p++) sums[cols[p]] += vals[p];
            double mean = 0;
            foreach (double s in sums) mean += s;
            mean = train.Columns == 0 ? 0 : mean / train.Columns;
            norms = new float[train.Columns];
            for (int i = 0; i < norms.Length; i++)
                norms[i] = (float)((1 - b) + (mean > 0 ? b * sums[i] / mean : 0));
        }
        return new AlsMatrixWeighting(kind, k1, train.Columns, norms);
    }

    /// <summary>Rebuilds a weighting from persisted parameters.</summary>
    public static AlsMatrixWeighting FromParameters(AlsWeighting kind, float k1, int itemCount, float[]? itemLengthNorms) =>
        new(kind, k1, itemCount, itemLengthNorms);

    /// <summary>Writes the weighted strengths of one user's row (all entries of the row must be given).</summary>
    public void WeightRow(ReadOnlySpan<int> items, ReadOnlySpan<float> strengths, Span<float> weighted)
    {
        if (_kind == AlsWeighting.None)
        {
            strengths.CopyTo(weighted);
            return;
        }
        float idf = (float)(Math.Log(_itemCount) - Math.Log(1 + items.Length));
        for (int n = 0; n < items.Length; n++)
        {
            float r = strengths[n];
            float w;
            if (r == 0f) w = 0f;
            else if (_kind == AlsWeighting.Bm25) w = r * (_k1 + 1f) / (_k1 * _itemLengthNorms![items[n]] + r) * idf;
            else w = MathF.Sqrt(r) * idf;
            weighted[n] = w > 0f ? w : 0f;
        }
    }

    /// <summary>Applies the weighting to every row of a user x item matrix.</summary>
    public CsrMatrix Apply(CsrMatrix matrix)
    {
        if (_kind == AlsWeighting.None) return matrix;
        var values = new float[matrix.NonZeroCount];
        ReadOnlySpan<int> pointers = matrix.RowPointers;
        for (int u = 0; u < matrix.Rows; u++)
            WeightRow(matrix.RowIndices(u), matrix.RowValues(u), values.AsSpan(pointers[u], pointers[u + 1] - pointers[u]));
        return new CsrMatrix(matrix.Rows, matrix.Columns, pointers.ToArray(), matrix.ColumnIndices.ToArray(), values);
    }
}
