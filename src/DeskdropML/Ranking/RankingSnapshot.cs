namespace DeskdropML.Ranking;

/// <summary>Settings of stage 1 (candidate generators) and of the feature layout.</summary>
public sealed class CandidateOptions
{
    /// <summary>Half-life (hours) of the recency generator and of the popularity share; must be one of the state's half-lives. Default 6.</summary>
    public double RecencyHalfLifeHours = 6;

    /// <summary>Top-N by decayed count at the recency half-life (≥ 0). Default 50.</summary>
    public int Recency = 50;

    /// <summary>Top-N newest items by first event (≥ 0). Default 20.</summary>
    public int Fresh = 20;

    /// <summary>Top-N by summed co-read cosine with the user's recent items (≥ 0). Default 30.</summary>
    public int CoRead = 30;

    /// <summary>Top-N by neighbour freshness (see <see cref="RankingSnapshot.NeighbourScores"/>; ≥ 0). Default 30.</summary>
    public int Neighbours = 30;

    /// <summary>The user's latest distinct items (by first read) whose readers define the user's neighbours (≥ 1). Default 100.</summary>
    public int NeighbourQueryItems = 100;

    /// <summary>Readers looked at per query item, the latest first readers (≥ 1): bounds the work per user to
    /// <see cref="NeighbourQueryItems"/> × this. Default 200.</summary>
    public int NeighbourReaders = 200;

    /// <summary>Co-read neighbours used per query item: the ones with the largest counts (ties by lower item index);
    /// 0 = all (default). Bounds stage 1 on logs where popular items have tens of thousands of co-read neighbours.</summary>
    public int CoReadPerItem;

    /// <summary>The most similar neighbours kept per user (≥ 1; ties by lower user index): bounds the second step to
    /// this many × <see cref="FreshnessState.Options.RecentItems"/>. Default 30 (best of 30, 100 and unbounded on the validation folds).</summary>
    public int MaxNeighbours = 30;

    /// <summary>Feature groups used (the co-read generator runs only with <see cref="FeatureGroups.CoRead"/>, the
    /// neighbour generator only with <see cref="FeatureGroups.Neighbours"/>). Default all.</summary>
    public FeatureGroups Groups = FeatureGroups.All;

    internal CandidateOptions Clone() => (CandidateOptions)MemberwiseClone();

    internal void Validate(FreshnessState state)
    {
        if (Recency < 0 || Recency > 1_000_000) throw new ArgumentOutOfRangeException(nameof(Recency), Recency, "Recency must be in [0, 1000000].");
        if (Fresh < 0 || Fresh > 1_000_000) throw new ArgumentOutOfRangeException(nameof(Fresh), Fresh, "Fresh must be in [0, 1000000].");
        if (CoRead < 0 || CoRead > 1_000_000) throw new ArgumentOutOfRangeException(nameof(CoRead), CoRead, "CoRead must be in [0, 1000000].");
        if (Neighbours < 0 || Neighbours > 1_000_000) throw new ArgumentOutOfRangeException(nameof(Neighbours), Neighbours, "Neighbours must be in [0, 1000000].");
        if (NeighbourQueryItems < 1 || NeighbourQueryItems > 1_000_000) throw new ArgumentOutOfRangeException(nameof(NeighbourQueryItems), NeighbourQueryItems, "NeighbourQueryItems must be in [1, 1000000].");
        if (CoReadPerItem < 0 || CoReadPerItem > 1_000_000) throw new ArgumentOutOfRangeException(nameof(CoReadPerItem), CoReadPerItem, "CoReadPerItem must be in [0, 1000000] (0 = all).");
        if (MaxNeighbours < 1 || MaxNeighbours > 1_000_000) throw new ArgumentOutOfRangeException(nameof(MaxNeighbours), MaxNeighbours, "MaxNeighbours must be in [1, 1000000].");
        if (NeighbourReaders < 1 || NeighbourReaders > 1_000_000) throw new ArgumentOutOfRangeException(nameof(NeighbourReaders), NeighbourReaders, "NeighbourReaders must be in [1, 1000000].");
        if (Recency + Fresh + CoRead + Neighbours == 0) throw new ArgumentOutOfRangeException(nameof(Recency), "At least one generator must produce candidates.");
        if ((Groups & ~FeatureGroups.All) != 0 || Groups == FeatureGroups.None)
            throw new ArgumentOutOfRangeException(nameof(Groups), Groups, "Groups must name at least one known feature group.");
        if (HalfLifeIndex(state) < 0)
            throw new ArgumentOutOfRangeException(nameof(RecencyHalfLifeHours), RecencyHalfLifeHours, "RecencyHalfLifeHours must be one of the state's half-lives.");
    }

    internal int HalfLifeIndex(FreshnessState state) => state.HalfLivesHours.IndexOf(RecencyHalfLifeHours);
}

/// <summary>
/// Everything stage 1 and the features need at one time T, computed once from a <see cref="FreshnessState"/>:
/// decayed counts at T, the global recency and freshness rankings, the shared candidates; per user it adds co-read
/// candidates and writes the feature rows (see <see cref="RankingFeatures"/>).
/// </summary>
/// <remarks>Valid while the state is not advanced (checked: using it afterwards throws). Thread-safe for reading.</remarks>
public sealed class RankingSnapshot
{
    private readonly FreshnessState _state;
    private readonly int _version;
    private readonly CandidateOptions _options;
    private readonly int _mainH;
    private readonly float[] _decayed; // [h * items + i] at T
    private readonly int[] _recencyRank, _freshRank; // 0-based; int.MaxValue for unseen
    private readonly int[] _shared; // recency top-N ∪ fresh top-N
    private readonly double _mainTotal;
    private readonly int[] _columns;
    private readonly int[]?[] _coReadTop; // per item, its CoReadPerItem strongest co-read neighbours (filled on first use)

    /// <summary>Takes the snapshot at <paramref name="time"/> (≥ the state's Now).</summary>
    public RankingSnapshot(FreshnessState state, long time, CandidateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (time < state.Now) throw new ArgumentOutOfRangeException(nameof(time), time, $"The state is at {state.Now}; a snapshot cannot be earlier.");
        _options = (options ?? new CandidateOptions()).Clone();
        _options.Validate(state);
        _state = state;
        _version = state.Version;
        Time = time;
        _mainH = _options.HalfLifeIndex(state);
        int items = state.ItemCount, hs = state.HalfLivesHours.Length;
        _decayed = new float[hs * items];
        for (int h = 0; h < hs; h++)
        {
            double f = state.Now == long.MinValue ? 0 : state.DecayTo(h, time);
            var src = state.DecayedCounts(h);
            for (int i = 0; i < items; i++) _decayed[h * items + i] = (float)(src[i] * f);
        }
        var first = state.ItemFirstSeen.ToArray();
        var seen = new List<int>();
        for (int i = 0; i < items; i++) if (first[i] != long.MaxValue) seen.Add(i);
        SeenCount = seen.Count;
        foreach (int i in seen) _mainTotal += _decayed[_mainH * items + i];
        var byRecency = seen.ToArray();
        var main = _decayed.AsSpan(_mainH * items, items).ToArray();
        Array.Sort(byRecency, (a, b) => main[b] != main[a] ? main[b].CompareTo(main[a]) : a.CompareTo(b));
        var byFresh = seen.ToArray();
        Array.Sort(byFresh, (a, b) => first[b] != first[a] ? first[b].CompareTo(first[a]) : a.CompareTo(b));
        _recencyRank = new int[items];
        _freshRank = new int[items];
        Array.Fill(_recencyRank, int.MaxValue);
        Array.Fill(_freshRank, int.MaxValue);
        for (int r = 0; r < byRecency.Length; r++) _recencyRank[byRecency[r]] = r;
        for (int r = 0; r < byFresh.Length; r++) _freshRank[byFresh[r]] = r;
        var shared = new HashSet<int>();
        for (int r = 0; r < Math.Min(_options.Recency, byRecency.Length); r++) shared.Add(byRecency[r]);
        for (int r = 0; r < Math.Min(_options.Fresh, byFresh.Length); r++) shared.Add(byFresh[r]);
        _shared = shared.ToArray();
        Array.Sort(_shared);
        _columns = RankingFeatures.Columns(hs, _options.Groups);
        _coReadTop = new int[]?[_options.CoReadPerItem > 0 ? items : 0];
    }

    /// <summary>The time T of the snapshot.</summary>
    public long Time { get; }

    /// <summary>Items with at least one event before T.</summary>
    public int SeenCount { get; }

    /// <summary>Number of features per row.</summary>
    public int FeatureCount => _columns.Length;

    /// <summary>The names of the features in row order.</summary>
    public IReadOnlyList<string> FeatureNames => RankingFeatures.Names(_state.HalfLivesHours, _options.Groups);

    /// <summary>0-based rank of an item by decayed count at the recency half-life (int.MaxValue when unseen).</summary>
    public int RecencyRank(int item) => _recencyRank[item];

    /// <summary>0-based rank of an item by first event, newest first (int.MaxValue when unseen).</summary>
    public int FreshRank(int item) => _freshRank[item];

    /// <summary>
    /// Trend of an item: <c>(D_short(i)/h_short + 0.01) / (D_long(i)/h_long + 0.01)</c> with the shortest and longest
    /// half-lives — the recent event rate (per hour) over the long-run rate; about 1 for steady items, above for rising ones.
    /// </summary>
    public double Trend(int item)
    {
        int items = _state.ItemCount, hs = _state.HalfLivesHours.Length;
        double hShort = _state.HalfLivesHours[0], hLong = _state.HalfLivesHours[hs - 1];
        return (_decayed[item] / hShort + 0.01) / (_decayed[(hs - 1) * items + item] / hLong + 0.01);
    }

    /// <summary>True when the item has an event before T.</summary>
    public bool IsSeen(int item) => _recencyRank[item] != int.MaxValue;

    private void CheckFresh()
    {
        if (_state.Version != _version)
            throw new InvalidOperationException("The freshness state has advanced since this snapshot was taken; take a new snapshot.");
    }

    /// <summary>
    /// Stage 1: the union of the shared candidates (recency and freshness top-N) and the user's co-read top-N, without
    /// items the user has read, ascending item index. Also returns each candidate's co-read scores.
    /// </summary>
    public UserCandidates Candidates(int user)
    {
        CheckFresh();
        if ((uint)user >= (uint)_state.UserCount) throw new ArgumentOutOfRangeException(nameof(user), user, "Unknown user index.");
        var co = CoReadScores(user);
        var set = new HashSet<int>();
        foreach (int i in _shared) if (!_state.HasRead(user, i)) set.Add(i);
        if ((_options.Groups & FeatureGroups.CoRead) != 0)
        {
            int take = Math.Min(_options.CoRead, co.Order.Length);
            for (int r = 0, added = 0; r < co.Order.Length && added < take; r++)
            {
                int i = co.Order[r];
                if (!IsSeen(i) || _state.HasRead(user, i)) continue;
                set.Add(i);
                added++;
            }
        }
        var nb = (_options.Groups & FeatureGroups.Neighbours) != 0 ? NeighbourScores(user) : Ranking.NeighbourScores.None;
        int takeNb = Math.Min(_options.Neighbours, nb.Order.Length);
        for (int r = 0; r < takeNb; r++) set.Add(nb.Order[r]);
        var items = set.ToArray();
        Array.Sort(items);
        return new UserCandidates(user, items, co, nb);
    }

    /// <summary>Co-read scores of every neighbour of the user's recent items that the user has not read: summed cosine <c>Σ_r C(r, i)/√(readers(r)·readers(i))</c>, max cosine, cosine with the most recent item, summed count.</summary>
    public CoReadScores CoReadScores(int user)
    {
        var recent = _state.RecentItems(user);
        var sum = new Dictionary<int, (float Sum, float Max, float Last, float Count)>();
        var readers = _state.ItemReaders;
        for (int p = 0; p < recent.Length; p++)
        {
            int r = recent[p];
            var neighbours = _state.CoReadNeighbours(r);
            if (_options.CoReadPerItem > 0)
            {
                // Benign race: two threads may compute the same list; either result is identical.
                var top = _coReadTop[r] ??= StrongestCoReads(neighbours, _options.CoReadPerItem);
                foreach (int j in top) Add(sum, user, p, r, j, neighbours[j], readers);
            }
            else
            {
                foreach (var (j, c) in neighbours) Add(sum, user, p, r, j, c, readers);
            }
        }
        return new CoReadScores(sum, ScoreOrder.Descending(sum, x => x.Sum));
    }

    private void Add(Dictionary<int, (float Sum, float Max, float Last, float Count)> sum, int user, int p, int r, int j, float c, ReadOnlySpan<int> readers)
    {
        if (_state.HasRead(user, j)) return;
        float cos = (float)(c / Math.Sqrt((double)readers[r] * readers[j]));
        var x = sum.GetValueOrDefault(j);
        sum[j] = (x.Sum + cos, Math.Max(x.Max, cos), p == 0 ? cos : x.Last, x.Count + c);
    }

    private static int[] StrongestCoReads(IReadOnlyDictionary<int, float> neighbours, int take)
    {
        var order = ScoreOrder.Descending(neighbours, c => c);
        return order.Length <= take ? order : order[..take];
    }

    /// <summary>
    /// Neighbour freshness of every item the user's neighbours read recently. Neighbours: users v ≠ u among the latest
    /// <see cref="CandidateOptions.NeighbourReaders"/> readers of each of the user's latest
    /// <see cref="CandidateOptions.NeighbourQueryItems"/> items; similarity <c>sim(u, v) = o(u, v) / √(items(u)·items(v))</c>
    /// with o the number of those query items v read; the <see cref="CandidateOptions.MaxNeighbours"/> most similar are kept. For each neighbour's <see cref="FreshnessState.Options.RecentItems"/>
    /// most recent items i that are seen and unread by u: <c>score(i) = Σ_v sim(u, v) · 0.5^((T − last(v, i)) / h)</c>
    /// (h = the recency half-life), <c>readers(i)</c> = the number of such v, <c>max(i)</c> = their largest similarity.
    /// Order: by score, then item index. Cost per user: O(query items × readers × log + max neighbours × recent items).
    /// </summary>
    public NeighbourScores NeighbourScores(int user)
    {
        CheckFresh();
        var query = _state.ItemsOf(user);
        if (query.IsEmpty) return Ranking.NeighbourScores.None;
        query = query[Math.Max(0, query.Length - _options.NeighbourQueryItems)..];
        var overlap = new Dictionary<int, int>();
        foreach (int j in query)
        {
            var readers = _state.Readers(j);
            foreach (int v in readers[Math.Max(0, readers.Length - _options.NeighbourReaders)..])
                if (v != user) overlap[v] = overlap.GetValueOrDefault(v) + 1;
        }
        double seconds = _options.RecencyHalfLifeHours * 3600.0;
        double userItems = _state.UserItems[user];
        var similarity = new Dictionary<int, float>(overlap.Count);
        foreach (var (v, o) in overlap) similarity[v] = (float)(o / Math.Sqrt(userItems * _state.UserItems[v]));
        var neighbours = ScoreOrder.Descending(similarity, x => x);
        var scores = new Dictionary<int, (float Recency, float Readers, float MaxSimilarity)>();
        foreach (int v in neighbours.AsSpan(0, Math.Min(neighbours.Length, _options.MaxNeighbours)))
        {
            float sim = similarity[v];
            foreach (int i in _state.RecentItems(v))
            {
                if (!IsSeen(i) || _state.HasRead(user, i)) continue;
                double decay = Math.Pow(0.5, (Time - _state.LastRead(v, i)) / seconds);
                var x = scores.GetValueOrDefault(i);
                scores[i] = ((float)(x.Recency + sim * decay), x.Readers + 1, Math.Max(x.MaxSimilarity, sim));
            }
        }
        return new NeighbourScores(scores, ScoreOrder.Descending(scores, x => x.Recency));
    }

    /// <summary>Writes one row of <see cref="FeatureCount"/> features per candidate into <paramref name="rows"/> (row-major).</summary>
    public void Features(UserCandidates candidates, Span<float> rows)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        CheckFresh();
        int f = _columns.Length;
        if (rows.Length < candidates.Items.Length * f) throw new ArgumentException("rows is too short.", nameof(rows));
        int hs = _state.HalfLivesHours.Length;
        Span<float> full = stackalloc float[RankingFeatures.FullCount(hs)];
        int u = candidates.User;
        var co = candidates.CoRead;
        var coRank = ScoreOrder.RanksOf(co.Order, candidates.Items); // Items is ascending
        var nb = candidates.Neighbours;
        var nbRank = ScoreOrder.RanksOf(nb.Order, candidates.Items);
        for (int c = 0; c < candidates.Items.Length; c++)
        {
            int i = candidates.Items[c];
            var s = co.Scores.GetValueOrDefault(i);
            Fill(full, u, i, s, coRank[c]);
            var n = nb.Scores.GetValueOrDefault(i);
            int at = RankingFeatures.FullCount(hs) - 4;
            full[at++] = n.Recency;
            full[at++] = n.Readers;
            full[at++] = n.MaxSimilarity;
            full[at] = nbRank[c];
            var row = rows.Slice(c * f, f);
            for (int k = 0; k < f; k++) row[k] = full[_columns[k]];
        }
    }

    private void Fill(Span<float> x, int u, int i, (float Sum, float Max, float Last, float Count) co, int coRank)
    {
        int items = _state.ItemCount, hs = _state.HalfLivesHours.Length, k = 0;
        for (int h = 0; h < hs; h++) x[k++] = _decayed[h * items + i];
        float main = _decayed[_mainH * items + i];
        x[k++] = _mainTotal > 0 ? (float)(main / _mainTotal) : 0;
        x[k++] = _state.ItemEvents[i];
        x[k++] = _state.ItemReaders[i];
        x[k++] = (float)Trend(i);
        x[k++] = Hours(Time - _state.ItemFirstSeen[i]);
        x[k++] = Hours(Time - _state.ItemLastSeen[i]);
        long last = _state.UserLastSeen[u];
        x[k++] = last == long.MinValue ? 1e6f : Hours(Time - last);
        x[k++] = _state.UserEvents[u];
        x[k++] = _state.UserItems[u];
        x[k++] = co.Sum;
        x[k++] = co.Max;
        x[k++] = co.Last;
        x[k++] = co.Count;
        x[k++] = _recencyRank[i];
        x[k++] = _freshRank[i];
        x[k++] = coRank;
    }

    private static float Hours(long seconds) => (float)(seconds / 3600.0);
}

/// <summary>Co-read scores of a user's neighbourhood: per item (summed cosine, max cosine, last-item cosine, summed count), and the items by summed cosine.</summary>
public sealed record CoReadScores(IReadOnlyDictionary<int, (float Sum, float Max, float Last, float Count)> Scores, int[] Order);

/// <summary>Neighbour freshness of a user (see <see cref="RankingSnapshot.NeighbourScores"/>): per item (decayed similarity-weighted reads, neighbours who read it, largest similarity), and the items by score.</summary>
public sealed record NeighbourScores(IReadOnlyDictionary<int, (float Recency, float Readers, float MaxSimilarity)> Scores, int[] Order)
{
    /// <summary>No neighbours.</summary>
    public static NeighbourScores None { get; } = new(new Dictionary<int, (float, float, float)>(), Array.Empty<int>());
}

/// <summary>Stage-1 output for one user: candidate items (ascending) and the co-read and neighbour scores behind them.</summary>
public sealed record UserCandidates(int User, int[] Items, CoReadScores CoRead, NeighbourScores Neighbours);

/// <summary>The feature layout (definitions in <see cref="RankingSnapshot"/>; groups in <see cref="FeatureGroups"/>).</summary>
public static class RankingFeatures
{
    /// <summary>Number of features when every group is on.</summary>
    public static int FullCount(int halfLives) => halfLives + 3 + 1 + 2 + 3 + 4 + 3 + 4;

    /// <summary>Names of the features of the enabled groups, in row order.</summary>
    public static IReadOnlyList<string> Names(ReadOnlySpan<double> halfLivesHours, FeatureGroups groups)
    {
        var all = new List<(string, FeatureGroups)>();
        foreach (double h in halfLivesHours) all.Add(($"pop_{HalfLifeLabel(h)}", FeatureGroups.Popularity));
        all.Add(("pop_share", FeatureGroups.Popularity));
        all.Add(("events", FeatureGroups.Popularity));
        all.Add(("readers", FeatureGroups.Popularity));
        all.Add(("trend", FeatureGroups.Trend));
        all.Add(("age_hours", FeatureGroups.Age));
        all.Add(("since_last_event_hours", FeatureGroups.Age));
        all.Add(("user_idle_hours", FeatureGroups.User));
        all.Add(("user_events", FeatureGroups.User));
        all.Add(("user_items", FeatureGroups.User));
        all.Add(("coread_sum_cosine", FeatureGroups.CoRead));
        all.Add(("coread_max_cosine", FeatureGroups.CoRead));
        all.Add(("coread_last_item_cosine", FeatureGroups.CoRead));
        all.Add(("coread_sum_count", FeatureGroups.CoRead));
        all.Add(("rank_recency", FeatureGroups.GeneratorRanks));
        all.Add(("rank_fresh", FeatureGroups.GeneratorRanks));
        all.Add(("rank_coread", FeatureGroups.GeneratorRanks));
        all.Add(("neighbour_recency", FeatureGroups.Neighbours));
        all.Add(("neighbour_readers", FeatureGroups.Neighbours));
        all.Add(("neighbour_max_similarity", FeatureGroups.Neighbours));
        all.Add(("rank_neighbour", FeatureGroups.Neighbours));
        return all.Where(x => (x.Item2 & groups) != 0).Select(x => x.Item1).ToArray();
    }

    /// <summary>Positions (in the full layout) of the enabled features.</summary>
    internal static int[] Columns(int halfLives, FeatureGroups groups)
    {
        var g = new List<FeatureGroups>();
        for (int h = 0; h < halfLives + 3; h++) g.Add(FeatureGroups.Popularity);
        g.Add(FeatureGroups.Trend);
        g.Add(FeatureGroups.Age); g.Add(FeatureGroups.Age);
        for (int k = 0; k < 3; k++) g.Add(FeatureGroups.User);
        for (int k = 0; k < 4; k++) g.Add(FeatureGroups.CoRead);
        for (int k = 0; k < 3; k++) g.Add(FeatureGroups.GeneratorRanks);
        for (int k = 0; k < 4; k++) g.Add(FeatureGroups.Neighbours);
        var cols = new List<int>();
        for (int k = 0; k < g.Count; k++) if ((g[k] & groups) != 0) cols.Add(k);
        return cols.ToArray();
    }

    /// <summary>"6h", "1d", "1.5d"…</summary>
    public static string HalfLifeLabel(double hours) =>
        hours >= 24 && hours % 24 == 0
            ? (hours / 24).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "d"
            : hours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "h";
}
