using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Warp;

/// <summary>Builds the combined feature matrix of one side: identity columns first, then side features.</summary>
internal static class WarpFeatureSpace
{
    /// <summary>
    /// Row r of the result has column r with value 1 (when <paramref name="identity"/>) followed by the entries of
    /// row r of <paramref name="side"/> shifted by <c>identity ? rows : 0</c>.
    /// </summary>
    public static CsrMatrix Combine(int rows, bool identity, CsrMatrix? side)
    {
        if (side is null) return identity ? CsrMatrix.Identity(rows) : CsrMatrix.Empty(rows, 0);
        if (!identity) return side;
        int offset = rows;
        var pointers = new int[rows + 1];
        var indices = new int[rows + side.NonZeroCount];
        var values = new float[indices.Length];
        var sidePointers = side.RowPointers;
        var sideIndices = side.ColumnIndices;
        var sideValues = side.Values;
        int w = 0;
        for (int r = 0; r < rows; r++)
        {
            indices[w] = r;
            values[w] = 1f;
            w++;
            for (int p = sidePointers[r]; p < sidePointers[r + 1]; p++)
            {
                indices[w] = offset + sideIndices[p];
                values[w] = sideValues[p];
                w++;
            }
            pointers[r + 1] = w;
        }
        return new CsrMatrix(rows, offset + side.Columns, pointers, indices, values);
    }
}
