using DeskdropML.Sparse;

namespace DeskdropML.Data;

/// <summary>
/// One (user, item, weight) row, the input shape of the ML.NET estimators
/// (<c>mlContext.Data.LoadFromEnumerable(rows)</c> gives text columns <c>UserId</c>, <c>ItemId</c> and a float <c>Label</c>).
/// </summary>
public sealed class InteractionRow
{
    /// <summary>User id.</summary>
    public string UserId { get; set; } = "";

    /// <summary>Item id.</summary>
    public string ItemId { get; set; } = "";

    /// <summary>Interaction weight (the smoothed strength).</summary>
    public float Label { get; set; }

    /// <summary>The stored entries of a user x item matrix as rows, user by user.</summary>
    public static IEnumerable<InteractionRow> FromMatrix(CsrMatrix matrix, IdMap users, IdMap items)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (matrix.Rows != users.Count || matrix.Columns != items.Count)
            throw new ArgumentException($"The matrix is {matrix.Rows} x {matrix.Columns} but the maps have {users.Count} users and {items.Count} items.", nameof(matrix));
        return Rows(matrix, users, items);
    }

    private static IEnumerable<InteractionRow> Rows(CsrMatrix matrix, IdMap users, IdMap items)
    {
        for (int u = 0; u < matrix.Rows; u++)
        {
            int start = matrix.RowPointers[u], end = matrix.RowPointers[u + 1];
            for (int p = start; p < end; p++)
                yield return new InteractionRow { UserId = users[u], ItemId = items[matrix.ColumnIndices[p]], Label = matrix.Values[p] };
        }
    }
}
