using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Sparse;

/// <summary>
/// Side features of users or items for hybrid models: row <c>r</c> of <see cref="Matrix"/> holds the features of the
/// entity <c>Ids[r]</c>. The id map doubles as the catalogue, so entities without interactions (cold items with text)
/// can be scored.
/// </summary>
public sealed class SideFeatures
{
    /// <summary>Creates side features from an id map and an aligned entity x feature matrix.</summary>
    /// <exception cref="ArgumentException">The matrix does not have one row per id.</exception>
    public SideFeatures(IdMap ids, CsrMatrix matrix)
    {
        Ids = ids ?? throw new ArgumentNullException(nameof(ids));
        Matrix = matrix ?? throw new ArgumentNullException(nameof(matrix));
        if (matrix.Rows != ids.Count)
            throw new ArgumentException($"The feature matrix has {matrix.Rows} rows but there are {ids.Count} ids; row r must hold the features of id r.", nameof(matrix));
    }

    /// <summary>The entities, one per matrix row.</summary>
    public IdMap Ids { get; }

    /// <summary>Entity x feature values.</summary>
    public CsrMatrix Matrix { get; }

    /// <summary>
    /// Reads side features from an <see cref="IDataView"/> with a text id column and a known-size float vector
    /// column (for example the text featurizer's output). Ids are kept in ordinal order; zeros are not stored.
    /// </summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, an id is empty or repeated,
    /// or a value is not finite (the message names the column and the row, counted from 0).</exception>
    public static SideFeatures FromDataView(IDataView data, string idColumnName, string featuresColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column idColumn = data.Schema.GetColumnOrNull(idColumnName)
            ?? throw new ArgumentException($"Column '{idColumnName}' not found.", nameof(idColumnName));
        DataViewSchema.Column featureColumn = data.Schema.GetColumnOrNull(featuresColumnName)
            ?? throw new ArgumentException($"Column '{featuresColumnName}' not found.", nameof(featuresColumnName));
        if (idColumn.Type is not TextDataViewType)
            throw new ArgumentException($"Column '{idColumnName}' must be text; it is {idColumn.Type}.", nameof(idColumnName));
        if (featureColumn.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || n.RawType != typeof(float) || !vector.IsKnownSize)
            throw new ArgumentException($"Column '{featuresColumnName}' must be a known-size vector of float; it is {featureColumn.Type}.", nameof(featuresColumnName));

        var rows = new List<(string Id, int[] Indices, float[] Values)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var cursor = data.GetRowCursor(new[] { idColumn, featureColumn }))
        {
            var getId = cursor.GetGetter<ReadOnlyMemory<char>>(idColumn);
            var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
            ReadOnlyMemory<char> id = default;
            VBuffer<float> buffer = default;
            long row = 0;
            while (cursor.MoveNext())
            {
                getId(ref id);
                getFeatures(ref buffer);
                string key = id.ToString();
                if (key.Length == 0) throw new ArgumentException($"Row {row}: the id in column '{idColumnName}' is empty.", nameof(data));
                if (!seen.Add(key)) throw new ArgumentException($"Row {row}: id '{key}' appears twice in column '{idColumnName}'.", nameof(data));
                // Copy the row: the cursor reuses its buffer.
                var indices = new List<int>();
                var values = new List<float>();
                foreach (var (index, value) in buffer.Items())
                {
                    if (!float.IsFinite(value)) throw new ArgumentException($"Row {row}: column '{featuresColumnName}' slot {index} is {value}.", nameof(data));
                    if (value != 0) { indices.Add(index); values.Add(value); }
                }
                rows.Add((key, indices.ToArray(), values.ToArray()));
                row++;
            }
        }
        rows.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var pointers = new int[rows.Count + 1];
        for (int r = 0; r < rows.Count; r++) pointers[r + 1] = pointers[r] + rows[r].Indices.Length;
        var allIndices = new int[pointers[^1]];
        var allValues = new float[pointers[^1]];
        for (int r = 0; r < rows.Count; r++)
        {
            rows[r].Indices.CopyTo(allIndices, pointers[r]);
            rows[r].Values.CopyTo(allValues, pointers[r]);
        }
        int width = ((VectorDataViewType)featureColumn.Type).Size;
        return new SideFeatures(new IdMap(rows.Select(r => r.Id)), new CsrMatrix(rows.Count, width, pointers, allIndices, allValues));
    }
}
