using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Popularity;

/// <summary>
/// The popularity baseline: every user gets the same item scores.
/// </summary>
/// <remarks>
/// Without a half-life, the score of item i is the number of distinct users with a training interaction on i
/// (stored entries of column i of the user x item training matrix, whatever their weight).
/// With a half-life h (seconds), each training pair (u, i) with timestamp t counts
/// <c>0.5^((T - t) / h)</c> instead of 1, where T is <see cref="PopularityOptions.ReferenceTime"/> (default: the
/// latest training timestamp). Ties between equal scores are broken by item index, i.e. by item id in ordinal
/// order, by the shared top-k selection.
/// </remarks>
public sealed class PopularityModel : IRecommenderModel
{
    private readonly float[] _scores;

    private PopularityModel(IdMap users, IdMap items, float[] scores)
    {
        Users = users;
        Items = items;
        _scores = scores;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>The score of every item (index order of <see cref="Items"/>).</summary>
    public ReadOnlySpan<float> ItemScores => _scores;

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores) => _scores.CopyTo(scores);

    /// <summary>Fits the baseline on a user x item training matrix.</summary>
    /// <param name="train">User x item training interactions; stored entries count.</param>
    /// <param name="users">Row ids of <paramref name="train"/>.</param>
    /// <param name="items">Column ids of <paramref name="train"/>.</param>
    /// <param name="options">Optional recency weighting.</param>
    /// <param name="timestamps">Timestamp of every stored entry of <paramref name="train"/> (required with a half-life).</param>
    public static PopularityModel Fit(CsrMatrix train, IdMap users, IdMap items, PopularityOptions? options = null, ReadOnlySpan<long> timestamps = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (train.Rows != users.Count || train.Columns != items.Count)
            throw new ArgumentException($"Training matrix is {train.Rows} x {train.Columns} but the maps have {users.Count} users and {items.Count} items.", nameof(train));
        options ??= new PopularityOptions();
        var scores = new float[items.Count];
        var columns = train.ColumnIndices;
        if (options.HalfLifeSeconds is not double halfLife)
        {
            foreach (int c in columns) scores[c] += 1f;
        }
        else
        {
            if (!(halfLife > 0) || double.IsInfinity(halfLife))
                throw new ArgumentOutOfRangeException(nameof(options), halfLife, "HalfLifeSeconds must be a positive finite number of seconds.");
            if (timestamps.Length != train.NonZeroCount)
                throw new ArgumentException($"A half-life needs one timestamp per training entry ({train.NonZeroCount}); got {timestamps.Length}.", nameof(timestamps));
            long reference = options.ReferenceTime ?? (timestamps.Length == 0 ? 0 : Max(timestamps));
            var acc = new double[items.Count];
            for (int p = 0; p < columns.Length; p++)
            {
                double age = Math.Max(0, reference - timestamps[p]);
                acc[columns[p]] += Math.Pow(0.5, age / halfLife);
            }
            for (int i = 0; i < acc.Length; i++) scores[i] = (float)acc[i];
        }
        return new PopularityModel(users, items, scores);
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        long m = long.MinValue;
        foreach (long v in values) if (v > m) m = v;
        return m;
    }
}

/// <summary>Options of the popularity baseline.</summary>
public sealed class PopularityOptions
{
    /// <summary>
    /// Recency half-life in seconds; <c>null</c> (default) counts every training user once.
    /// With a value h, a pair's weight halves every h seconds before <see cref="ReferenceTime"/>.
    /// </summary>
    public double? HalfLifeSeconds { get; set; }

    /// <summary>The "now" of the recency decay (Unix seconds); default: the latest training timestamp.</summary>
    public long? ReferenceTime { get; set; }
}
