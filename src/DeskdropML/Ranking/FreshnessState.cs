namespace DeskdropML.Ranking;

/// <summary>
/// Streaming counters of an event log at a reference time T ("now"): decayed item popularity at several half-lives,
/// item first/last event, item and user counts, each user's most recent items and co-read counts. Events are applied
/// in time order with <see cref="Advance"/>; nothing is ever recomputed from scratch.
/// </summary>
/// <remarks>
/// <para><b>Definitions</b> (events e with timestamp t_e &lt; T only; <see cref="Advance"/> refuses any other):</para>
/// <list type="bullet">
/// <item>decayed count <c>D_h(i, T) = Σ_{e on i} 0.5^((T − t_e) / h)</c>, for every half-life h of
/// <see cref="Options.HalfLivesHours"/> (each event counts 1, whatever its type — the recency baseline's count);</item>
/// <item><c>events(i)</c>, <c>readers(i)</c> = distinct users, <c>first(i)</c> / <c>last(i)</c> = time of the first / last event on i;</item>
/// <item>per user: <c>events(u)</c>, <c>items(u)</c> (distinct), <c>last(u)</c>, and <c>recent(u)</c> = the user's
/// <see cref="Options.RecentItems"/> distinct items with the latest events, most recent first (a re-read moves an item to the front);</item>
/// <item>co-reads <c>C(i, j)</c> = number of users who read j for the first time while i was among their
/// <see cref="Options.CoReadWindow"/> most recent items, or the other way round (symmetric, each user counts at most
/// once per pair): the "read next" neighbourhood, bounded to O(pairs × window) work;</item>
/// <item>per (user, item) pair the time of the user's last event on the item, per item its readers in first-read
/// order and per user its items in first-read order (what the user-neighbour features of <see cref="RankingSnapshot"/>
/// read).</item>
/// </list>
/// <para><b>Memory:</b> 8 × half-lives × items bytes of decayed counts, about 48 bytes per item and 40 + 4 ×
/// <see cref="Options.RecentItems"/> per user, about 40 bytes per (user, item) pair (hash entry and both lists) and
/// about 24 bytes per co-read entry.</para>
/// <para><b>Incremental update.</b> Moving from T to T' multiplies every decayed count by <c>0.5^((T' − T)/h)</c> and adds
/// <c>0.5^((T' − t_e)/h)</c> for each new event — the same value a full recount gives (up to rounding). All other counters
/// only grow. Cost: O(items × half-lives) per advance plus O(window) per new (user, item) pair. A full rebuild is needed
/// only when events arrive out of order (older than the current T), when a past event is deleted or corrected, or when
/// the options (half-lives, windows) change; then build a new state and stream the log again.</para>
/// </remarks>
public sealed class FreshnessState
{
    /// <summary>Options of the state.</summary>
    public sealed class Options
    {
        /// <summary>Half-lives h (hours) of the decayed counts; each &gt; 0, at least one. Default 1 h, 6 h, 1 day, 3 days, 1 week.</summary>
        public double[] HalfLivesHours = { 1, 6, 24, 72, 168 };

        /// <summary>Distinct recent items kept per user (the co-read query items and what a neighbour contributes), ≥ 1.
        /// Default 30 (chosen on the backtests' validation folds over 10; docs/two-stage.md).</summary>
        public int RecentItems = 30;

        /// <summary>A newly read item is paired with this many of the user's most recent items (≥ 1, ≤ <see cref="RecentItems"/>). Default 10.</summary>
        public int CoReadWindow = 10;

        internal Options Clone() => new() { HalfLivesHours = (double[])HalfLivesHours.Clone(), RecentItems = RecentItems, CoReadWindow = CoReadWindow };
    }

    private readonly Options _options;
    private readonly double[] _halfLifeSeconds;
    private readonly double[] _decayed; // [h * items + i]
    private readonly int[] _itemEvents, _itemReaders;
    private readonly long[] _itemFirst, _itemLast;
    private readonly int[] _userEvents, _userItems;
    private readonly long[] _userLast;
    private readonly int[] _recent; // [u * RecentItems + r], most recent first
    private readonly int[] _recentCount;
    private readonly Dictionary<long, long> _pairLast = new(); // (user << 32 | item) → time of the last event
    private readonly List<int>?[] _itemReaderList, _userItemList; // first-read order
    private readonly Dictionary<int, float>?[] _coRead;

    /// <summary>Creates an empty state (reference time: none yet) after validating the options.</summary>
    /// <param name="users">Number of users (indices 0..users−1).</param>
    /// <param name="items">Number of items (indices 0..items−1).</param>
    /// <param name="options">Half-lives and windows; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option or a count is out of range.</exception>
    public FreshnessState(int users, int items, Options? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(users);
        ArgumentOutOfRangeException.ThrowIfNegative(items);
        _options = (options ?? new Options()).Clone();
        var o = _options;
        if (o.HalfLivesHours is null || o.HalfLivesHours.Length == 0)
            throw new ArgumentOutOfRangeException(nameof(Options.HalfLivesHours), "At least one half-life is needed.");
        foreach (double h in o.HalfLivesHours)
            if (!(h > 0) || double.IsInfinity(h))
                throw new ArgumentOutOfRangeException(nameof(Options.HalfLivesHours), h, "Every half-life must be a positive finite number of hours.");
        if (o.RecentItems < 1 || o.RecentItems > 1000)
            throw new ArgumentOutOfRangeException(nameof(Options.RecentItems), o.RecentItems, "RecentItems must be in [1, 1000].");
        if (o.CoReadWindow < 1 || o.CoReadWindow > o.RecentItems)
            throw new ArgumentOutOfRangeException(nameof(Options.CoReadWindow), o.CoReadWindow, "CoReadWindow must be in [1, RecentItems].");
        UserCount = users;
        ItemCount = items;
        _halfLifeSeconds = new double[o.HalfLivesHours.Length];
        for (int h = 0; h < _halfLifeSeconds.Length; h++) _halfLifeSeconds[h] = o.HalfLivesHours[h] * 3600.0;
        _decayed = new double[_halfLifeSeconds.Length * items];
        _itemEvents = new int[items];
        _itemReaders = new int[items];
        _itemFirst = new long[items];
        _itemLast = new long[items];
        Array.Fill(_itemFirst, long.MaxValue);
        Array.Fill(_itemLast, long.MinValue);
        _userEvents = new int[users];
        _userItems = new int[users];
        _userLast = new long[users];
        Array.Fill(_userLast, long.MinValue);
        _recent = new int[users * o.RecentItems];
        _recentCount = new int[users];
        _coRead = new Dictionary<int, float>?[items];
        _itemReaderList = new List<int>?[items];
        _userItemList = new List<int>?[users];
    }

    /// <summary>Number of users.</summary>
    public int UserCount { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount { get; }

    /// <summary>The reference time T of the counters (Unix seconds); <see cref="long.MinValue"/> before the first advance.</summary>
    public long Now { get; private set; } = long.MinValue;

    /// <summary>Events applied so far.</summary>
    public long EventCount { get; private set; }

    /// <summary>Incremented by every <see cref="Advance"/>: views computed at an older version are stale.</summary>
    public int Version { get; private set; }

    /// <summary>The half-lives (hours), in option order.</summary>
    public ReadOnlySpan<double> HalfLivesHours => _options.HalfLivesHours;

    /// <summary>A copy of the options.</summary>
    public Options Settings => _options.Clone();

    /// <summary>
    /// Applies events (time order, each in [<see cref="Now"/>, <paramref name="now"/>)) and moves the reference time to
    /// <paramref name="now"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Spans of different lengths, an index out of range, or an event out of order / at or after <paramref name="now"/>.</exception>
    public void Advance(ReadOnlySpan<int> users, ReadOnlySpan<int> items, ReadOnlySpan<long> times, long now)
    {
        if (users.Length != items.Length || users.Length != times.Length)
            throw new ArgumentException("users, items and times must have one entry per event.", nameof(times));
        if (now < Now) throw new ArgumentException($"Cannot move the state back in time (now {now} < current {Now}).", nameof(now));
        long previous = Now == long.MinValue ? (times.IsEmpty ? now : times[0]) : Now;
        for (int e = 0; e < times.Length; e++)
        {
            if (times[e] >= now)
                throw new ArgumentException($"Event {e} at {times[e]} is not before now = {now}: a state at T may only hold events before T.", nameof(times));
            if (times[e] < previous || (e > 0 && times[e] < times[e - 1]))
                throw new ArgumentException($"Event {e} at {times[e]} is out of time order (state at {Now}); rebuild the state to insert past events.", nameof(times));
            if ((uint)users[e] >= (uint)UserCount) throw new ArgumentException($"Event {e} has user {users[e]}, outside [0, {UserCount}).", nameof(users));
            if ((uint)items[e] >= (uint)ItemCount) throw new ArgumentException($"Event {e} has item {items[e]}, outside [0, {ItemCount}).", nameof(items));
        }
        // Decay the existing counts to the new reference time, then add the new events at their age.
        if (Now != long.MinValue && now > Now)
        {
            for (int h = 0; h < _halfLifeSeconds.Length; h++)
            {
                double factor = Math.Pow(0.5, (now - Now) / _halfLifeSeconds[h]);
                var row = _decayed.AsSpan(h * ItemCount, ItemCount);
                for (int i = 0; i < row.Length; i++) row[i] *= factor;
            }
        }
        for (int e = 0; e < times.Length; e++) Apply(users[e], items[e], times[e], now);
        Now = now;
        EventCount += times.Length;
        Version++;
    }

    private void Apply(int u, int i, long t, long now)
    {
        for (int h = 0; h < _halfLifeSeconds.Length; h++)
            _decayed[h * ItemCount + i] += Math.Pow(0.5, (now - t) / _halfLifeSeconds[h]);
        _itemEvents[i]++;
        if (t < _itemFirst[i]) _itemFirst[i] = t;
        if (t > _itemLast[i]) _itemLast[i] = t;
        _userEvents[u]++;
        if (t > _userLast[u]) _userLast[u] = t;
        int r = _options.RecentItems;
        var recent = _recent.AsSpan(u * r, r);
        long key = ((long)u << 32) | (uint)i;
        ref long last = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_pairLast, key, out bool exists);
        last = t;
        if (!exists)
        {
            (_itemReaderList[i] ??= new List<int>()).Add(u);
            (_userItemList[u] ??= new List<int>()).Add(i);
            _itemReaders[i]++;
            _userItems[u]++;
            int window = Math.Min(_options.CoReadWindow, _recentCount[u]);
            for (int p = 0; p < window; p++) AddCoRead(recent[p], i);
        }
        // Move-to-front of the recent list.
        int count = _recentCount[u];
        int at = recent[..count].IndexOf(i);
        if (at < 0)
        {
            if (count < r) _recentCount[u] = ++count;
            at = count - 1;
        }
        for (int p = at; p > 0; p--) recent[p] = recent[p - 1];
        recent[0] = i;
    }

    private void AddCoRead(int a, int b)
    {
        if (a == b) return;
        Add(a, b);
        Add(b, a);
    }

    private void Add(int a, int b)
    {
        var map = _coRead[a] ??= new Dictionary<int, float>();
        map[b] = map.GetValueOrDefault(b) + 1;
    }

    /// <summary>Decayed count D_h(i, T) of half-life number <paramref name="h"/> at <paramref name="time"/> ≥ <see cref="Now"/> (no events in between).</summary>
    public double Decayed(int h, int item, long time) => _decayed[h * ItemCount + item] * DecayTo(h, time);

    /// <summary>The factor 0.5^((time − Now)/h) that carries counts at <see cref="Now"/> to <paramref name="time"/>.</summary>
    public double DecayTo(int h, long time)
    {
        if (time < Now) throw new ArgumentOutOfRangeException(nameof(time), time, $"The state is at {Now}; it cannot answer for an earlier time.");
        return time == Now ? 1 : Math.Pow(0.5, (time - Now) / _halfLifeSeconds[h]);
    }

    /// <summary>Decayed counts of half-life number <paramref name="h"/> at <see cref="Now"/>, one per item.</summary>
    public ReadOnlySpan<double> DecayedCounts(int h) => _decayed.AsSpan(h * ItemCount, ItemCount);

    /// <summary>Events on each item.</summary>
    public ReadOnlySpan<int> ItemEvents => _itemEvents;

    /// <summary>Distinct users of each item.</summary>
    public ReadOnlySpan<int> ItemReaders => _itemReaders;

    /// <summary>Time of the first event on each item (<see cref="long.MaxValue"/> if none).</summary>
    public ReadOnlySpan<long> ItemFirstSeen => _itemFirst;

    /// <summary>Time of the last event on each item (<see cref="long.MinValue"/> if none).</summary>
    public ReadOnlySpan<long> ItemLastSeen => _itemLast;

    /// <summary>Events of each user.</summary>
    public ReadOnlySpan<int> UserEvents => _userEvents;

    /// <summary>Distinct items of each user.</summary>
    public ReadOnlySpan<int> UserItems => _userItems;

    /// <summary>Time of each user's last event (<see cref="long.MinValue"/> if none).</summary>
    public ReadOnlySpan<long> UserLastSeen => _userLast;

    /// <summary>The user's most recent distinct items, most recent first.</summary>
    public ReadOnlySpan<int> RecentItems(int user) => _recent.AsSpan(user * _options.RecentItems, _recentCount[user]);

    /// <summary>True when the user has an event on the item.</summary>
    public bool HasRead(int user, int item) => _pairLast.ContainsKey(((long)user << 32) | (uint)item);

    /// <summary>Time of the user's last event on the item; <see cref="long.MinValue"/> when the user has none.</summary>
    public long LastRead(int user, int item) => _pairLast.TryGetValue(((long)user << 32) | (uint)item, out long t) ? t : long.MinValue;

    /// <summary>The item's readers in the order of their first event on it.</summary>
    public ReadOnlySpan<int> Readers(int item) => _itemReaderList[item] is { } list ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list) : default;

    /// <summary>The user's distinct items in the order of the user's first event on each.</summary>
    public ReadOnlySpan<int> ItemsOf(int user) => _userItemList[user] is { } list ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list) : default;

    /// <summary>C(a, b): co-read count (0 when none).</summary>
    public float CoRead(int a, int b) => _coRead[a] is { } map && map.TryGetValue(b, out float c) ? c : 0;

    /// <summary>The co-read neighbours of an item with their counts (empty when none).</summary>
    public IReadOnlyDictionary<int, float> CoReadNeighbours(int item) => (IReadOnlyDictionary<int, float>?)_coRead[item] ?? Empty;

    private static readonly Dictionary<int, float> Empty = new();

    /// <summary>Number of stored co-read entries (both directions).</summary>
    public long CoReadEntries
    {
        get
        {
            long n = 0;
            foreach (var m in _coRead) if (m is not null) n += m.Count;
            return n;
        }
    }

    /// <summary>Writes the whole state (options included).</summary>
    internal void Write(BinaryWriter w)
    {
        w.Write(UserCount); w.Write(ItemCount);
        w.Write(_options.HalfLivesHours.Length);
        foreach (double h in _options.HalfLivesHours) w.Write(h);
        w.Write(_options.RecentItems); w.Write(_options.CoReadWindow);
        w.Write(Now); w.Write(EventCount);
        foreach (double v in _decayed) w.Write(v);
        for (int i = 0; i < ItemCount; i++) { w.Write(_itemEvents[i]); w.Write(_itemReaders[i]); w.Write(_itemFirst[i]); w.Write(_itemLast[i]); }
        for (int u = 0; u < UserCount; u++) { w.Write(_userEvents[u]); w.Write(_userItems[u]); w.Write(_userLast[u]); w.Write(_recentCount[u]); }
        foreach (int r in _recent) w.Write(r);
        var pairs = _pairLast.Keys.ToArray();
        Array.Sort(pairs);
        w.Write(pairs.Length);
        foreach (long p in pairs) { w.Write(p); w.Write(_pairLast[p]); }
        foreach (var list in _itemReaderList) WriteList(w, list);
        foreach (var list in _userItemList) WriteList(w, list);
        for (int i = 0; i < ItemCount; i++)
        {
            var map = _coRead[i];
            w.Write(map?.Count ?? 0);
            if (map is null) continue;
            foreach (var (j, c) in map.OrderBy(x => x.Key)) { w.Write(j); w.Write(c); }
        }
    }

    /// <summary>Reads a state written by <see cref="Write"/>.</summary>
    internal static FreshnessState Read(BinaryReader r)
    {
        int users = r.ReadInt32(), items = r.ReadInt32();
        var halfLives = new double[r.ReadInt32()];
        for (int h = 0; h < halfLives.Length; h++) halfLives[h] = r.ReadDouble();
        var options = new Options { HalfLivesHours = halfLives, RecentItems = r.ReadInt32(), CoReadWindow = r.ReadInt32() };
        var s = new FreshnessState(users, items, options) { Now = r.ReadInt64(), EventCount = r.ReadInt64() };
        for (int k = 0; k < s._decayed.Length; k++) s._decayed[k] = r.ReadDouble();
        for (int i = 0; i < items; i++) { s._itemEvents[i] = r.ReadInt32(); s._itemReaders[i] = r.ReadInt32(); s._itemFirst[i] = r.ReadInt64(); s._itemLast[i] = r.ReadInt64(); }
        for (int u = 0; u < users; u++) { s._userEvents[u] = r.ReadInt32(); s._userItems[u] = r.ReadInt32(); s._userLast[u] = r.ReadInt64(); s._recentCount[u] = r.ReadInt32(); }
        for (int k = 0; k < s._recent.Length; k++) s._recent[k] = r.ReadInt32();
        int pairs = r.ReadInt32();
        for (int p = 0; p < pairs; p++) { long key = r.ReadInt64(); s._pairLast[key] = r.ReadInt64(); }
        for (int i = 0; i < items; i++) s._itemReaderList[i] = ReadList(r);
        for (int u = 0; u < users; u++) s._userItemList[u] = ReadList(r);
        for (int i = 0; i < items; i++)
        {
            int n = r.ReadInt32();
            if (n == 0) continue;
            var map = new Dictionary<int, float>(n);
            for (int k = 0; k < n; k++) map[r.ReadInt32()] = r.ReadSingle();
            s._coRead[i] = map;
        }
        return s;
    }

    private static void WriteList(BinaryWriter w, List<int>? list)
    {
        w.Write(list?.Count ?? 0);
        if (list is not null) foreach (int x in list) w.Write(x);
    }

    private static List<int>? ReadList(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0) throw new InvalidDataException("A negative list length in a freshness state.");
        if (n == 0) return null;
        var list = new List<int>(n);
        for (int k = 0; k < n; k++) list.Add(r.ReadInt32());
        return list;
    }
}
