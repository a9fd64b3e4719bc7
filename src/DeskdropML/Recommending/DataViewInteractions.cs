using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Recommending;

/// <summary>A user x item interaction matrix with its id maps.</summary>
/// <param name="Matrix">User x item weights (duplicate pairs summed).</param>
/// <param name="Users">Row ids.</param>
/// <param name="Items">Column ids.</param>
public sealed record InteractionMatrix(CsrMatrix Matrix, IdMap Users, IdMap Items);

/// <summary>Reads (user id, item id, weight) rows of an ML.NET <see cref="IDataView"/> into a sparse matrix.</summary>
public static class DataViewInteractions
{
    /// <summary>
    /// Reads the interactions of <paramref name="input"/>: every row adds its weight to the (user, item) entry, so
    /// duplicate pairs are summed. Without catalogues the id maps are the distinct ids sorted ordinally; with a
    /// catalogue, the catalogue is the map (so items without rows can exist) and an id outside it is an error.
    /// </summary>
    /// <param name="input">The data.</param>
    /// <param name="userIdColumnName">User id column: text, integer or key (see <see cref="InteractionColumnOptions"/>
    /// for how values become id strings).</param>
    /// <param name="itemIdColumnName">Item id column: text, integer or key.</param>
    /// <param name="labelColumnName">Weight column (<c>Single</c>, <c>Double</c> or integer); <c>null</c> gives every
    /// row weight 1, and so does the default name <c>"Label"</c> when the input has no such column. Weights must be finite.</param>
    /// <param name="userCatalog">Optional fixed user map.</param>
    /// <param name="itemCatalog">Optional fixed item map.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type; the data has no rows; a row has
    /// an empty id or missing key, an id outside a catalogue, or a non-finite weight (the message names the row,
    /// counted from 0).</exception>
    public static InteractionMatrix Read(IDataView input, string userIdColumnName, string itemIdColumnName,
        string? labelColumnName = null, IdMap? userCatalog = null, IdMap? itemCatalog = null) =>
        ReadEncoded(input, userIdColumnName, itemIdColumnName, labelColumnName, userCatalog, itemCatalog).Data;

    /// <summary><see cref="Read"/>, also returning how the id columns map to the id strings.</summary>
    internal static (InteractionMatrix Data, IdEncoding Users, IdEncoding Items) ReadEncoded(IDataView input,
        string userIdColumnName, string itemIdColumnName, string? labelColumnName, IdMap? userCatalog, IdMap? itemCatalog)
    {
        ArgumentNullException.ThrowIfNull(input);
        var schema = input.Schema;
        var userColumn = RequireColumn(schema, userIdColumnName, "user id");
        var itemColumn = RequireColumn(schema, itemIdColumnName, "item id");
        var userReader = IdEncoding.CreateReader(userColumn, "user id");
        var itemReader = IdEncoding.CreateReader(itemColumn, "item id");
        var labelColumn = LabelColumn(schema, labelColumnName);

        var users = new IdCollector(userCatalog, "user", userIdColumnName);
        var items = new IdCollector(itemCatalog, "item", itemIdColumnName);
        var rowUsers = new List<int>();
        var rowItems = new List<int>();
        var weights = new List<float>();
        var columns = labelColumn is null ? new[] { userColumn, itemColumn } : new[] { userColumn, itemColumn, labelColumn.Value };
        using (var cursor = input.GetRowCursor(columns))
        {
            var userGetter = userReader.Bind(cursor, userColumn);
            var itemGetter = itemReader.Bind(cursor, itemColumn);
            var labelGetter = labelColumn is { } lc ? WeightGetter(cursor, lc) : null;
            long row = -1;
            while (cursor.MoveNext())
            {
                row++;
                float weight = labelGetter?.Invoke() ?? 1f;
                if (!float.IsFinite(weight))
                    throw new ArgumentException($"Row {row}: the label column '{labelColumnName}' holds {weight}; weights must be finite numbers.", nameof(input));
                rowUsers.Add(users.Index(userGetter(out ulong userRaw), userRaw, row));
                rowItems.Add(items.Index(itemGetter(out ulong itemRaw), itemRaw, row));
                weights.Add(weight);
            }
        }
        if (weights.Count == 0)
            throw new ArgumentException("The input has no rows; a recommender needs at least one interaction.", nameof(input));

        var (userMap, userRemap) = users.Finish();
        var (itemMap, itemRemap) = items.Finish();
        var r = new int[rowUsers.Count];
        var c = new int[rowItems.Count];
        for (int i = 0; i < r.Length; i++) { r[i] = userRemap[rowUsers[i]]; c[i] = itemRemap[rowItems[i]]; }
        var matrix = CsrMatrix.FromTriplets(userMap.Count, itemMap.Count, r, c, weights.ToArray());
        var userEncoding = userReader.Encode(userMap, users.RawOf, "user", userIdColumnName);
        var itemEncoding = itemReader.Encode(itemMap, items.RawOf, "item", itemIdColumnName);
        return (new InteractionMatrix(matrix, userMap, itemMap), userEncoding, itemEncoding);
    }

    /// <summary>
    /// The label column to read: null for <paramref name="name"/> null, and for the default name when the schema
    /// has no such column; otherwise the column, which must be a scalar Single, Double or integer.
    /// </summary>
    internal static DataViewSchema.Column? LabelColumn(DataViewSchema schema, string? name)
    {
        if (name is null) return null;
        var column = schema.GetColumnOrNull(name);
        if (column is null)
        {
            if (name == InteractionColumnOptions.DefaultLabelColumnName) return null;
            throw new ArgumentException($"The input has no label column '{name}'. Columns: {ColumnList(schema)}. Set LabelColumnName to null to weigh every row 1.", "input");
        }
        if (!IsWeightType(column.Value.Type))
            throw new ArgumentException($"The label column '{name}' has type {column.Value.Type}; it must be a scalar Single (float), Double or integer.", "input");
        return column;
    }

    /// <summary>True for the types a weight column may have.</summary>
    internal static bool IsWeightType(DataViewType type) => type is NumberDataViewType;

    private static Func<float> WeightGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(float)) return Getter<float>(cursor, column, v => v);
        if (raw == typeof(double)) return Getter<double>(cursor, column, v => (float)v);
        if (raw == typeof(sbyte)) return Getter<sbyte>(cursor, column, v => v);
        if (raw == typeof(byte)) return Getter<byte>(cursor, column, v => v);
        if (raw == typeof(short)) return Getter<short>(cursor, column, v => v);
        if (raw == typeof(ushort)) return Getter<ushort>(cursor, column, v => v);
        if (raw == typeof(int)) return Getter<int>(cursor, column, v => v);
        if (raw == typeof(uint)) return Getter<uint>(cursor, column, v => v);
        if (raw == typeof(long)) return Getter<long>(cursor, column, v => v);
        return Getter<ulong>(cursor, column, v => v);
    }

    private static Func<float> Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, float> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () => { getter(ref value); return convert(value); };
    }

    private static DataViewSchema.Column RequireColumn(DataViewSchema schema, string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The input has no {what} column '{name}'. Columns: {ColumnList(schema)}.", "input");
    }

    private static string ColumnList(DataViewSchema schema) =>
        string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));

    /// <summary>Assigns provisional indices to ids without allocating a string per row.</summary>
    private sealed class IdCollector
    {
        private readonly IdMap? _catalog;
        private readonly string _what;
        private readonly string _column;
        private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly List<string> _ids = new();
        private readonly List<ulong> _raw = new();

        public IdCollector(IdMap? catalog, string what, string column)
        {
            _catalog = catalog;
            _what = what;
            _column = column;
            _lookup = _seen.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public int Index(ReadOnlySpan<char> id, ulong raw, long row)
        {
            if (id.IsEmpty)
                throw new ArgumentException($"Row {row}: the {_what} id in column '{_column}' is empty (or a missing key value).", "input");
            if (_lookup.TryGetValue(id, out int index)) return index;
            string text = id.ToString();
            if (_catalog is not null && !_catalog.Contains(text))
                throw new ArgumentException($"Row {row}: {_what} id '{text}' in column '{_column}' is not in the given {_what} catalogue.", "input");
            index = _ids.Count;
            _seen.Add(text, index);
            _ids.Add(text);
            _raw.Add(raw);
            return index;
        }

        /// <summary>The raw column value of an id read from the rows, or null.</summary>
        public ulong? RawOf(string id) => _seen.TryGetValue(id, out int index) ? _raw[index] : null;

        /// <summary>The final map and provisional index -> final index.</summary>
        public (IdMap Map, int[] Remap) Finish()
        {
            var map = _catalog ?? IdMap.FromIds(_ids);
            var remap = new int[_ids.Count];
            for (int i = 0; i < remap.Length; i++) remap[i] = map.IndexOf(_ids[i]);
            return (map, remap);
        }
    }
}
