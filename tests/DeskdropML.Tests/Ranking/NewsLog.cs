using DeskdropML.Data;

namespace DeskdropML.Tests.Ranking;

/// <summary>
/// A small synthetic news log with the structure the two-stage recommender exploits: every day new items appear,
/// each belongs to one of three teams; an item is read mostly in its first days, mostly by its team's users.
/// </summary>
internal static class NewsLog
{
    public const long Day = 86400;
    public const long Start = 1_000_000_000;

    /// <summary>Rows in file order (not time-sorted), users u00..u59, items i000…, strength 1.</summary>
    public static InteractionLog Create(int days = 40, int seed = 1)
    {
        var random = new Random(seed);
        var rows = new List<(string U, string I, long T)>();
        int item = 0;
        for (int d = 0; d < days; d++)
        {
            for (int n = 0; n < 6; n++, item++)
            {
                long published = Start + d * Day + random.Next((int)Day);
                int team = random.Next(3);
                double appeal = 0.2 + 0.5 * random.NextDouble();
                for (int u = 0; u < 60; u++)
                {
                    double p = (u % 3 == team ? appeal : appeal * 0.15);
                    if (random.NextDouble() >= p) continue;
                    long delay = (long)(-Math.Log(1 - random.NextDouble()) * 0.7 * Day);
                    rows.Add(($"u{u:D2}", $"i{item:D3}", published + delay));
                }
            }
        }
        // File order is not time order (like the Deskdrop file).
        var shuffled = rows.OrderBy(_ => random.Next()).ToList();
        return FromRows(shuffled);
    }

    public static InteractionLog FromRows(IReadOnlyList<(string U, string I, long T)> rows) => new(
        rows.Select(r => r.U).ToArray(), rows.Select(r => r.I).ToArray(), rows.Select(r => r.T).ToArray(),
        rows.Select(_ => 1f).ToArray(), new LoadReport("news", rows.Count, rows.Count, new Dictionary<string, long>()));

    public static IEnumerable<(string U, string I, long T)> Rows(InteractionLog log)
    {
        for (int r = 0; r < log.Count; r++) yield return (log.Users[r], log.Items[r], log.Timestamps[r]);
    }
}
