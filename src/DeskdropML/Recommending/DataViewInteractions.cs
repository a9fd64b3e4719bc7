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
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="labelColumnName">Optional <see cref="float"/> or <see cref="double"/> weight column; <c>null</c>
    /// gives every row weight 1. Weights must be finite.</param>
    /// <param name="userCatalog">Optional fixed user map.</param>
    /// <param name="itemCatalog">Optional fixed item map.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type; the data has no rows; a row has
    /// an empty id, an id outside a catalogue, or a non-finite weight (the message names the row, counted from 0).</exception>
    public static InteractionMatrix Read(IDataView input, string userIdColumnName, string itemIdColumnName,
        string? labelColumnName = null, IdMap? userCatalog = null, IdMap? itemCatalog = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var schema = input.Schema;
        var userColumn = RequireTextColumn(schema, userIdColumnName, "user id");
        var itemColumn = RequireTextColumn(schema, itemIdColumnName, "item id");
        DataViewSchema.Column? labelColumn = null;
        if (labelColumnName is not null)
        {
            labelColumn = schema.GetColumnOrNull(labelColumnName)
                ?? throw new ArgumentException($"The input has no label column '{labelColumnName}'. Columns: {ColumnList(schema)}.", nameof(input));
            if (labelColumn.Value.Type != NumberDataViewType.Single && labelColumn.Value.Type != NumberDataViewType.Double)
                throw new ArgumentException($"The label column '{labelColumnName}' has type {labelColumn.Value.Type}; it must be Single (float) or Double.", nameof(input));
        }

        var users = new IdCollector(userCatalog, "user", userIdColumnName);
        var items = new IdCollector(itemCatalog, "item", itemIdColumnName);
        var rowUsers = new List<int>();
        var rowItems = new List<int>();
        var weights = new List<float>();
        var columns = labelColumn is null ? new[] { userColumn, itemColumn } : new[] { userColumn, itemColumn, labelColumn.Value };
        using (var cursor = input.GetRowCursor(columns))
        {
            var userGetter = cursor.GetGetter<ReadOnlyMemory<char>>(userColumn);
            var itemGetter = cursor.GetGetter<ReadOnlyMemory<char>>(itemColumn);
            ValueGetter<float>? singleGetter = null;
            ValueGetter<double>? doubleGetter = null;
            if (labelColumn is { } lc)
            {
                if (lc.Type == NumberDataViewType.Single) singleGetter = cursor.GetGetter<float>(lc);
                else doubleGetter = cursor.GetGetter<double>(lc);
            }
            ReadOnlyMemory<char> userText = default, itemText = default;
            float single = 0;
            double dbl = 0;
            long row = -1;
            while (cursor.MoveNext())
            {
                row++;
                userGetter(ref userText);
                itemGetter(ref itemText);
                float weight = 1f;
                if (singleGetter is not null) { singleGetter(ref single); weight = single; }
                else if (doubleGetter is not null) { doubleGetter(ref dbl); weight = (float)dbl; }
                if (!float.IsFinite(weight))
                    throw new ArgumentException($"Row {row}: the label column '{labelColumnName}' holds {weight}; weights must be finite numbers.", nameof(input));
                rowUsers.Add(users.Index(userText.Span, row));
                rowItems.Add(items.Index(itemText.Span, row));
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
        return new InteractionMatrix(matrix, userMap, itemMap);
    }

    private static DataViewSchema.Column RequireTextColumn(DataViewSchema schema, string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The input has no {what} column '{name}'. Columns: {ColumnList(schema)}.", "input");
        if (column.Type is not TextDataViewType)
            throw new ArgumentException($"The {what} column '{name}' has type {column.Type}; it must be text (string).", "input");
        return column;
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

        public IdCollector(IdMap? catalog, string what, string column)
        {
            _catalog = catalog;
            _what = what;
            _column = column;
            _lookup = _seen.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public int Index(ReadOnlySpan<char> id, long row)
        {
            if (id.IsEmpty)
                throw new ArgumentException($"Row {row}: the {_what} id in column '{_column}' is empty.", "input");
            if (_lookup.TryGetValue(id, out int index)) return index;
            string text = id.ToString();
            if (_catalog is not null && !_catalog.Contains(text))
                throw new ArgumentException($"Row {row}: {_what} id '{text}' in column '{_column}' is not in the given {_what} catalogue.", "input");
            index = _ids.Count;
            _seen.Add(text, index);
            _ids.Add(text);
            return index;
        }

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
