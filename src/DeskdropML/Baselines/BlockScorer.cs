using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Baselines;

/// <summary>
/// Scores a block of users × all items through a fitted transformer: the block is a lazily generated grid data view
/// (<see cref="UserItemRowsDataView.Grid"/>), its score column read with one cursor in row order into a caller-owned
/// buffer. Thread-safe: every call builds its own view and cursor.
/// </summary>
/// <remarks>Memory: the caller's buffer (<c>count × items × 4</c> bytes) plus ML.NET's cursor state; the grid itself
/// is never materialized.</remarks>
internal sealed class BlockScorer
{
    private readonly ITransformer _transformer;
    private readonly IdMap _users;
    private readonly IdMap _items;
    private readonly EstimatorRecommender.Options _options;

    public BlockScorer(ITransformer transformer, IdMap users, IdMap items, EstimatorRecommender.Options options)
    {
        _transformer = transformer;
        _users = users;
        _items = items;
        _options = options;
    }

    /// <summary>Writes the scores of users [first, first + count) × every item, user-major, into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The transformer has no float score column.</exception>
    /// <exception cref="InvalidOperationException">The transformer does not map rows one to one.</exception>
    public void Score(int first, int count, Span<float> destination)
    {
        var o = _options;
        var grid = UserItemRowsDataView.Grid(_users, _items, o.IdColumns, o.UserIdColumnName, o.ItemIdColumnName, o.LabelColumnName, first, count);
        var scored = _transformer.Transform(grid);
        var column = scored.Schema.GetColumnOrNull(o.ScoreColumnName);
        if (column is not DataViewSchema.Column score || score.Type != NumberDataViewType.Single)
        {
            throw new ArgumentException(
                $"The fitted estimator must produce a float column '{o.ScoreColumnName}'; its output columns are: " +
                string.Join(", ", scored.Schema.Select(c => $"{c.Name} ({c.Type})")) + ".", "estimator");
        }
        using var cursor = scored.GetRowCursor(new[] { score });
        var getter = cursor.GetGetter<float>(score);
        int written = 0;
        float value = 0;
        while (cursor.MoveNext())
        {
            if (written == destination.Length)
                throw new InvalidOperationException($"The transformer returned more rows than the {destination.Length} it was given; a scoring transformer must map rows one to one.");
            getter(ref value);
            destination[written++] = value;
        }
        if (written != destination.Length)
            throw new InvalidOperationException($"The transformer returned {written} rows for {destination.Length} input rows; a scoring transformer must map rows one to one.");
    }

    /// <summary>True when some score is not NaN.</summary>
    public static bool HasAnyNumber(ReadOnlySpan<float> scores)
    {
        foreach (float s in scores)
            if (!float.IsNaN(s)) return true;
        return false;
    }
}
