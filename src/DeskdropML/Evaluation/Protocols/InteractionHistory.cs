using DeskdropML.Data;
using DeskdropML.Sparse;

namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// The whole interaction log of the kept users, indexed once for every protocol: user and item maps, the events
/// in time order and the (user, item) pairs aggregated over the whole log.
/// </summary>
/// <remarks>
/// <para><b>Users.</b> Users with at least <see cref="DatasetOptions.MinItemsPerUser"/> distinct items over the whole
/// log (the notebook's filter, applied once), ordinal order of their ids.</para>
/// <para><b>Items.</b> The items of the kept users' pairs, plus — when an <see cref="ArticleAvailability"/> is given —
/// every article with a sharing time (candidates of <see cref="CandidatePolicy.Available"/> that nobody interacted
/// with), ordinal order of their ids. Without articles the maps equal those of <see cref="InteractionDataset.Build"/>.</para>
/// <para><b>Events.</b> The kept users' rows sorted by timestamp, ties in file order (a stable sort).</para>
/// <para><b>Pairs.</b> Per (user, item): the sum of its row strengths and the timestamp of its last row <em>in file
/// order</em> (the notebook's <c>groupby().last()</c>), in order of first appearance.</para>
/// </remarks>
public sealed class InteractionHistory
{
    private InteractionHistory(IdMap users, IdMap items, bool[] hasPairs, int[] eu, int[] ei, long[] et, float[] es,
        int[] pu, int[] pi, double[] ps, long[] pt, StrengthSmoothing smoothing, ArticleAvailability? articles, long rowsRead, int usersTotal)
    {
        Users = users; Items = items; _itemHasPairs = hasPairs;
        _eventUser = eu; _eventItem = ei; _eventTime = et; _eventStrength = es;
        _pairUser = pu; _pairItem = pi; _pairSum = ps; _pairTime = pt;
        Smoothing = smoothing; Articles = articles; RowsRead = rowsRead; UsersTotal = usersTotal;
    }

    private readonly bool[] _itemHasPairs;
    private readonly int[] _eventUser, _eventItem, _pairUser, _pairItem;
    private readonly long[] _eventTime, _pairTime;
    private readonly float[] _eventStrength;
    private readonly double[] _pairSum;

    /// <summary>Kept users, ordinal order.</summary>
    public IdMap Users { get; }

    /// <summary>Items (see remarks), ordinal order.</summary>
    public IdMap Items { get; }

    /// <summary>How a pair's summed strength is smoothed (default <c>log2(1 + sum)</c>).</summary>
    public StrengthSmoothing Smoothing { get; }

    /// <summary>Article sharing and removal times, or null when no article file was given.</summary>
    public ArticleAvailability? Articles { get; }

    /// <summary>Interaction rows read (before the user filter).</summary>
    public long RowsRead { get; }

    /// <summary>Distinct users before the filter.</summary>
    public int UsersTotal { get; }

    /// <summary>Number of kept events.</summary>
    public int EventCount => _eventTime.Length;

    /// <summary>User index of each event (time order).</summary>
    public ReadOnlySpan<int> EventUsers => _eventUser;

    /// <summary>Item index of each event (time order).</summary>
    public ReadOnlySpan<int> EventItems => _eventItem;

    /// <summary>Timestamp of each event, ascending.</summary>
    public ReadOnlySpan<long> EventTimes => _eventTime;

    /// <summary>Strength of each event.</summary>
    public ReadOnlySpan<float> EventStrengths => _eventStrength;

    /// <summary>Number of kept (user, item) pairs.</summary>
    public int PairCount => _pairUser.Length;

    /// <summary>User index of each pair.</summary>
    public ReadOnlySpan<int> PairUsers => _pairUser;

    /// <summary>Item index of each pair.</summary>
    public ReadOnlySpan<int> PairItems => _pairItem;

    /// <summary>Summed row strength of each pair (before smoothing).</summary>
    public ReadOnlySpan<double> PairSums => _pairSum;

    /// <summary>Timestamp of each pair's last row in file order.</summary>
    public ReadOnlySpan<long> PairTimes => _pairTime;

    /// <summary>True for items with at least one kept pair (the <see cref="CandidatePolicy.Catalog"/> items).</summary>
    public ReadOnlySpan<bool> ItemHasPairs => _itemHasPairs;

    /// <summary>Number of events with a timestamp strictly before <paramref name="time"/> (events are sorted).</summary>
    public int EventsBefore(long time)
    {
        int lo = 0, hi = _eventTime.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_eventTime[mid] < time) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Events [start, start + count) as a fold's train events (no copy).</summary>
    internal FoldEvents EventWindow(int start, int count) => new(_eventUser, _eventItem, _eventTime, _eventStrength, start, count);

    /// <summary>The smoothed strength of a summed pair strength.</summary>
    public float Smooth(double sum) => Smoothing == StrengthSmoothing.Log2OnePlus ? (float)Math.Log2(1 + sum) : (float)sum;

    /// <summary>Indexes a log.</summary>
    /// <param name="log">Interaction rows in file order.</param>
    /// <param name="minItemsPerUser">Keep users with at least this many distinct items (default 5, must be ≥ 1).</param>
    /// <param name="articles">Optional article availability (adds article items to the item map).</param>
    /// <param name="smoothing">Pair strength smoothing.</param>
    public static InteractionHistory Build(InteractionLog log, int minItemsPerUser = 5, ArticleAvailability? articles = null,
        StrengthSmoothing smoothing = StrengthSmoothing.Log2OnePlus)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (minItemsPerUser < 1)
            throw new ArgumentOutOfRangeException(nameof(minItemsPerUser), minItemsPerUser, "minItemsPerUser must be >= 1.");
        int n = log.Count;
        var userIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var userNames = new List<string>();
        var itemNames = new List<string>();
        var rowUser = new int[n];
        var rowItem = new int[n];
        for (int r = 0; r < n; r++)
        {
            rowUser[r] = IdOf(userIds, userNames, log.Users[r]);
            rowItem[r] = IdOf(itemIds, itemNames, log.Items[r]);
        }

        var pairOf = new Dictionary<long, int>();
        var pu = new List<int>(); var pi = new List<int>(); var ps = new List<double>(); var pt = new List<long>();
        var itemsPerUser = new int[userNames.Count];
        for (int r = 0; r < n; r++)
        {
            long key = ((long)rowUser[r] << 32) | (uint)rowItem[r];
            if (!pairOf.TryGetValue(key, out int p))
            {
                p = pu.Count;
                pairOf.Add(key, p);
                pu.Add(rowUser[r]); pi.Add(rowItem[r]); ps.Add(0); pt.Add(0);
                itemsPerUser[rowUser[r]]++;
            }
            ps[p] += log.Strengths[r];
            pt[p] = log.Timestamps[r];
        }

        var keepUser = new bool[userNames.Count];
        for (int u = 0; u < keepUser.Length; u++) keepUser[u] = itemsPerUser[u] >= minItemsPerUser;
        var keepItem = new bool[itemNames.Count];
        for (int p = 0; p < pu.Count; p++) if (keepUser[pu[p]]) keepItem[pi[p]] = true;

        var users = new IdMap(Sorted(userNames, keepUser, extra: null));
        IEnumerable<string>? articleItems = articles?.SharedIds;
        var items = new IdMap(Sorted(itemNames, keepItem, articleItems));
        var userIndex = new int[userNames.Count];
        for (int u = 0; u < userIndex.Length; u++) userIndex[u] = keepUser[u] ? users.IndexOf(userNames[u]) : -1;
        var itemIndex = new int[itemNames.Count];
        for (int i = 0; i < itemIndex.Length; i++) itemIndex[i] = items.IndexOf(itemNames[i]);

        var hasPairs = new bool[items.Count];
        var pairUser = new List<int>(); var pairItem = new List<int>(); var pairSum = new List<double>(); var pairTime = new List<long>();
        for (int p = 0; p < pu.Count; p++)
        {
            if (!keepUser[pu[p]]) continue;
            pairUser.Add(userIndex[pu[p]]); pairItem.Add(itemIndex[pi[p]]); pairSum.Add(ps[p]); pairTime.Add(pt[p]);
            hasPairs[itemIndex[pi[p]]] = true;
        }

        var rows = new List<int>();
        for (int r = 0; r < n; r++) if (keepUser[rowUser[r]]) rows.Add(r);
        var order = rows.ToArray();
        var times = new long[order.Length];
        for (int j = 0; j < order.Length; j++) times[j] = log.Timestamps[order[j]];
        // Stable: equal timestamps keep file order (the row numbers are ascending before the sort).
        var keys = new (long Time, int Row)[order.Length];
        for (int j = 0; j < order.Length; j++) keys[j] = (times[j], order[j]);
        Array.Sort(keys);
        var eu = new int[keys.Length]; var ei = new int[keys.Length]; var et = new long[keys.Length]; var es = new float[keys.Length];
        for (int j = 0; j < keys.Length; j++)
        {
            int r = keys[j].Row;
            eu[j] = userIndex[rowUser[r]]; ei[j] = itemIndex[rowItem[r]]; et[j] = keys[j].Time; es[j] = log.Strengths[r];
        }
        return new InteractionHistory(users, items, hasPairs, eu, ei, et, es,
            pairUser.ToArray(), pairItem.ToArray(), pairSum.ToArray(), pairTime.ToArray(), smoothing, articles, log.Count, userNames.Count);
    }

    private static int IdOf(Dictionary<string, int> ids, List<string> names, string id)
    {
        if (!ids.TryGetValue(id, out int i)) { i = names.Count; ids.Add(id, i); names.Add(id); }
        return i;
    }

    private static string[] Sorted(List<string> names, bool[] keep, IEnumerable<string>? extra)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++) if (keep[i]) set.Add(names[i]);
        if (extra is not null) foreach (var id in extra) set.Add(id);
        var array = set.ToArray();
        Array.Sort(array, StringComparer.Ordinal);
        return array;
    }
}
