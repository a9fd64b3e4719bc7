using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Recommending;

/// <summary>Builds small in-memory data views with two text id columns of chosen names.</summary>
internal static class IdRowsView
{
    /// <summary>One row (empty ids) — what ML.NET estimators need to be fitted without real data.</summary>
    public static IDataView OneRow(MLContext mlContext, string userColumn, string itemColumn) =>
        FromPairs(mlContext, userColumn, itemColumn, new[] { (string.Empty, string.Empty) });

    /// <summary>A view with one row per (user id, item id) pair.</summary>
    public static IDataView FromPairs(MLContext mlContext, string userColumn, string itemColumn, IEnumerable<(string User, string Item)> pairs)
    {
        var definition = SchemaDefinition.Create(typeof(IdRow));
        definition[nameof(IdRow.User)].ColumnName = userColumn;
        definition[nameof(IdRow.Item)].ColumnName = itemColumn;
        var rows = pairs.Select(p => new IdRow { User = p.User, Item = p.Item }).ToList();
        return mlContext.Data.LoadFromEnumerable(rows, definition);
    }

    /// <summary>Row type of <see cref="FromPairs"/>; public fields because ML.NET reflects on them.</summary>
    public sealed class IdRow
    {
        public string User = string.Empty;
        public string Item = string.Empty;
    }
}
