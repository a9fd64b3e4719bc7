using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Popularity;

/// <summary>
/// Recency popularity over raw events: every user gets the same scores,
/// <c>score(i) = Σ over train events e on item i of 0.5^((T − t_e) / h)</c>, with T the reference time (a backtest
/// fold's start: "now") and h the half-life. Each event counts once whatever its type or strength — a decayed event
/// count, the news-feed baseline of DESIGN section 7. Events after T count as age 0 (a caller passing only events
/// before T never has any).
/// </summary>
/// <remarks>Fit is O(events); scoring copies the item vector. Ties are broken by item index by the shared top-k.</remarks>
public sealed class RecencyPopularityModel : IRecommenderModel
{
    private readonly float[] _scores;

    private RecencyPopularityModel(IdMap users, IdMap items, float[] scores, double halfLifeSeconds, long referenceTime)
    {
        Users = users;
        Items = items;
        _scores = scores;
        HalfLifeSeconds = halfLifeSeconds;
        ReferenceTime = referenceTime;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>The half-life h in seconds.</summary>
    public double HalfLifeSeconds { get; }

    /// <summary>The reference time T (Unix seconds).</summary>
    public long ReferenceTime { get; }

    /// <summary>The score of every item.</summary>
    public ReadOnlySpan<float> ItemScores => _scores;

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores) => _scores.CopyTo(scores);

    /// <summary>Fits on events (item index and timestamp of each).</summary>
    /// <param name="users">The user map (every user gets the same scores).</param>
    /// <param name="items">The item map; event item indices index it.</param>
    /// <param name="eventItems">Item index of each event.</param>
    /// <param name="eventTimes">Timestamp of each event (Unix seconds).</param>
    /// <param name="referenceTime">T.</param>
    /// <param name="halfLifeSeconds">h &gt; 0, finite.</param>
    public static RecencyPopularityModel Fit(IdMap users, IdMap items, ReadOnlySpan<int> eventItems, ReadOnlySpan<long> eventTimes,
        long referenceTime, double halfLifeSeconds)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (!(halfLifeSeconds > 0) || double.IsInfinity(halfLifeSeconds))
            throw new ArgumentOutOfRangeException(nameof(halfLifeSeconds), halfLifeSeconds, "The half-life must be a positive finite number of seconds.");
        if (eventItems.Length != eventTimes.Length)
            throw new ArgumentException("One timestamp per event is needed.", nameof(eventTimes));
        var acc = new double[items.Count];
        double rate = -Math.Log(2) / halfLifeSeconds;
        for (int e = 0; e < eventItems.Length; e++)
        {
            int i = eventItems[e];
            if ((uint)i >= (uint)acc.Length) throw new ArgumentException($"Event {e} has item index {i}, outside [0, {acc.Length}).", nameof(eventItems));
            double age = Math.Max(0, (double)referenceTime - eventTimes[e]);
            acc[i] += Math.Exp(rate * age);
        }
        var scores = new float[acc.Length];
        for (int i = 0; i < acc.Length; i++) scores[i] = (float)acc[i];
        return new RecencyPopularityModel(users, items, scores, halfLifeSeconds, referenceTime);
    }
}
