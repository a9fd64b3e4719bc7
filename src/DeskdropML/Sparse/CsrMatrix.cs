namespace DeskdropML.Sparse;

/// <summary>
/// A read-only sparse matrix in compressed sparse row (CSR) form with <see cref="float"/> values.
/// Row <c>r</c> holds the column indices <c>ColumnIndices[RowPointers[r] .. RowPointers[r + 1])</c>,
/// sorted ascending and unique, with the matching <c>Values</c>.
/// </summary>
/// <remarks>
/// Used for user x item interaction matrices (values are interaction strengths) and item x feature
/// matrices. Explicit zeros are allowed and kept (a stored pair is an observed interaction even when
/// its weight is zero).
/// </remarks>
public sealed class CsrMatrix
{
    private readonly int[] _rowPointers;
    private readonly int[] _columnIndices;
    private readonly float[] _values;

    /// <summary>Creates a CSR matrix from its three arrays after validating their structure.</summary>
    /// <exception cref="ArgumentException">The arrays are not a valid CSR structure (lengths, pointer order,
    /// column bounds, sorted unique columns per row).</exception>
    public CsrMatrix(int rows, int columns, int[] rowPointers, int[] columnIndices, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(rowPointers);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentNullException.ThrowIfNull(values);
        if (rowPointers.Length != rows + 1)
            throw new ArgumentException($"rowPointers has length {rowPointers.Length}; expected rows + 1 = {rows + 1}.", nameof(rowPointers));
        if (columnIndices.Length != values.Length)
            throw new ArgumentException($"columnIndices ({columnIndices.Length}) and values ({values.Length}) differ in length.", nameof(values));
        if (rowPointers[0] != 0 || rowPointers[rows] != columnIndices.Length)
            throw new ArgumentException("rowPointers must start at 0 and end at the number of stored entries.", nameof(rowPointers));
        for (int r = 0; r < rows; r++)
        {
            int start = rowPointers[r], end = rowPointers[r + 1];
            if (end < start)
                throw new ArgumentException($"rowPointers decreases at row {r}.", nameof(rowPointers));
            for (int p = start; p < end; p++)
            {
                int c = columnIndices[p];
                if ((uint)c >= (uint)columns)
                    throw new ArgumentException($"Column index {c} in row {r} is outside [0, {columns}).", nameof(columnIndices));
                if (p > start && columnIndices[p - 1] >= c)
                    throw new ArgumentException($"Column indices of row {r} are not sorted and unique.", nameof(columnIndices));
            }
        }
        Rows = rows;
        Columns = columns;
        _rowPointers = rowPointers;
        _columnIndices = columnIndices;
        _values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Number of stored entries.</summary>
    public int NonZeroCount => _values.Length;

    /// <summary>Row start offsets, length <see cref="Rows"/> + 1.</summary>
    public ReadOnlySpan<int> RowPointers => _rowPointers;

    /// <summary>Column index of every stored entry, row by row.</summary>
    public ReadOnlySpan<int> ColumnIndices => _columnIndices;

    /// <summary>Value of every stored entry, row by row.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>Column indices stored in one row (sorted ascending).</summary>
    public ReadOnlySpan<int> RowIndices(int row) =>
        _columnIndices.AsSpan(_rowPointers[row], _rowPointers[row + 1] - _rowPointers[row]);

    /// <summary>Values stored in one row, aligned with <see cref="RowIndices"/>.</summary>
    public ReadOnlySpan<float> RowValues(int row) =>
        _values.AsSpan(_rowPointers[row], _rowPointers[row + 1] - _rowPointers[row]);

    /// <summary>Number of stored entries in one row.</summary>
    public int RowLength(int row) => _rowPointers[row + 1] - _rowPointers[row];

    /// <summary>The stored value at (row, column), or <c>null</c> when the entry is not stored.</summary>
    public float? Get(int row, int column)
    {
        int i = RowIndices(row).BinarySearch(column);
        return i >= 0 ? _values[_rowPointers[row] + i] : null;
    }

    /// <summary>True when the entry (row, column) is stored.</summary>
    public bool Contains(int row, int column) => RowIndices(row).BinarySearch(column) >= 0;

    /// <summary>Returns the transpose (a column x row CSR matrix, i.e. this matrix in CSC form).</summary>
    public CsrMatrix Transpose()
    {
        var counts = new int[Columns + 1];
        foreach (int c in _columnIndices) counts[c + 1]++;
        for (int c = 0; c < Columns; c++) counts[c + 1] += counts[c];
        var pointers = (int[])counts.Clone();
        var next = (int[])counts.Clone();
        var indices = new int[NonZeroCount];
        var values = new float[NonZeroCount];
        for (int r = 0; r < Rows; r++)
        {
            for (int p = _rowPointers[r]; p < _rowPointers[r + 1]; p++)
            {
                int dst = next[_columnIndices[p]]++;
                indices[dst] = r;
                values[dst] = _values[p];
            }
        }
        return new CsrMatrix(Columns, Rows, pointers, indices, values);
    }

    /// <summary>Returns a matrix with the same structure and values mapped by <paramref name="map"/>.</summary>
    public CsrMatrix MapValues(Func<float, float> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var values = new float[NonZeroCount];
        for (int i = 0; i < values.Length; i++) values[i] = map(_values[i]);
        return new CsrMatrix(Rows, Columns, _rowPointers, _columnIndices, values);
    }

    /// <summary>
    /// Builds a CSR matrix from (row, column, value) triplets. Duplicate (row, column) pairs are summed.
    /// </summary>
    public static CsrMatrix FromTriplets(int rows, int columns, ReadOnlySpan<int> rowIndices, ReadOnlySpan<int> columnIndices, ReadOnlySpan<float> values)
    {
        if (rowIndices.Length != columnIndices.Length || rowIndices.Length != values.Length)
            throw new ArgumentException("Triplet arrays must have equal lengths.");
        var counts = new int[rows + 1];
        for (int i = 0; i < rowIndices.Length; i++)
        {
            if ((uint)rowIndices[i] >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(rowIndices), $"Row index {rowIndices[i]} at position {i} is outside [0, {rows}).");
            if ((uint)columnIndices[i] >= (uint)columns)
                throw new ArgumentOutOfRangeException(nameof(columnIndices), $"Column index {columnIndices[i]} at position {i} is outside [0, {columns}).");
            counts[rowIndices[i] + 1]++;
        }
        for (int r = 0; r < rows; r++) counts[r + 1] += counts[r];
        var next = (int[])counts.Clone();
        var cols = new int[rowIndices.Length];
        var vals = new float[rowIndices.Length];
        for (int i = 0; i < rowIndices.Length; i++)
        {
            int dst = next[rowIndices[i]]++;
            cols[dst] = columnIndices[i];
            vals[dst] = values[i];
        }
        // Sort each row by column and merge duplicates.
        var pointers = new int[rows + 1];
        int write = 0;
        for (int r = 0; r < rows; r++)
        {
            int start = counts[r], end = counts[r + 1];
            Array.Sort(cols, vals, start, end - start);
            int rowStart = write;
            for (int p = start; p < end; p++)
            {
                if (write > rowStart && cols[write - 1] == cols[p])
                {
                    vals[write - 1] += vals[p];
                }
                else
                {
                    cols[write] = cols[p];
                    vals[write] = vals[p];
                    write++;
                }
            }
            pointers[r + 1] = write;
        }
        if (write != cols.Length)
        {
            Array.Resize(ref cols, write);
            Array.Resize(ref vals, write);
        }
        return new CsrMatrix(rows, columns, pointers, cols, vals);
    }

    /// <summary>An empty matrix of the given shape.</summary>
    public static CsrMatrix Empty(int rows, int columns) =>
        new(rows, columns, new int[rows + 1], Array.Empty<int>(), Array.Empty<float>());

    /// <summary>The identity matrix of size n (one feature per row).</summary>
    public static CsrMatrix Identity(int n)
    {
        var pointers = new int[n + 1];
        var indices = new int[n];
        var values = new float[n];
        for (int i = 0; i < n; i++) { pointers[i + 1] = i + 1; indices[i] = i; values[i] = 1f; }
        return new CsrMatrix(n, n, pointers, indices, values);
    }
}
