namespace DeskdropML.Ranking;

/// <summary>
/// Turns one time window into ranker training groups: with the state at the window start S (events before S only),
/// each user with a relevant item in [S, S + W) becomes a group whose rows are the user's stage-1 candidates at S and
/// whose labels say which of them the user read in the window.
/// </summary>
/// <remarks>
/// <para><b>Relevant</b> (the backtest's definition, <c>seen</c> candidates): items the user has an event on in
/// [S, S + W), no event on before S, and that have some event (any user) before S.</para>
/// <para>Groups whose candidates hold no relevant item carry no LambdaRank gradient and are dropped; they still count
/// in <see cref="WindowRows.RelevantPairs"/>, so <see cref="WindowRows.Recall"/> is stage 1's recall.</para>
/// <para>With more than <c>maxGroups</c> users in a window, a seeded hash of (user, S) picks which users are kept
/// (the same run always keeps the same ones).</para>
/// </remarks>
public static class TrainingWindows
{
    /// <summary>Builds the training groups of the window [S, S + W) whose events are given (all in that window).</summary>
    /// <param name="snapshot">Snapshot of the state at S.</param>
    /// <param name="state">The state at S (used for "read before S").</param>
    /// <param name="users">User of each window event.</param>
    /// <param name="items">Item of each window event.</param>
    /// <param name="maxGroups">At most this many groups (users) are kept.</param>
    /// <param name="seed">Seed of the user sampling.</param>
    public static WindowRows Collect(RankingSnapshot snapshot, FreshnessState state, ReadOnlySpan<int> users, ReadOnlySpan<int> items,
        int maxGroups, int seed)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroups, 1);
        if (snapshot.Time != state.Now) throw new ArgumentException("The snapshot must be taken at the state's time (the window start).", nameof(snapshot));
        var relevant = new SortedDictionary<int, HashSet<int>>();
        for (int e = 0; e < users.Length; e++)
        {
            int u = users[e], i = items[e];
            if (!snapshot.IsSeen(i) || state.HasRead(u, i)) continue;
            if (!relevant.TryGetValue(u, out var set)) relevant[u] = set = new HashSet<int>();
            set.Add(i);
        }
        var chosen = relevant.Keys.ToList();
        if (chosen.Count > maxGroups)
        {
            ulong salt = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)snapshot.Time;
            chosen = chosen.OrderBy(u => Mix((ulong)u ^ salt)).ThenBy(u => u).Take(maxGroups).OrderBy(u => u).ToList();
        }
        var rows = new RankingRows(snapshot.FeatureCount);
        int relevantPairs = 0, covered = 0;
        foreach (int u in chosen)
        {
            var set = relevant[u];
            relevantPairs += set.Count;
            var candidates = snapshot.Candidates(u);
            var labels = new float[candidates.Items.Length];
            int hits = 0;
            for (int c = 0; c < labels.Length; c++)
                if (set.Contains(candidates.Items[c])) { labels[c] = 1; hits++; }
            covered += hits;
            if (hits == 0) continue;
            var features = new float[labels.Length * snapshot.FeatureCount];
            snapshot.Features(candidates, features);
            rows.AddGroup(features, labels);
        }
        return new WindowRows(snapshot.Time, rows, chosen.Count, relevantPairs, covered);
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33; x *= 0xff51afd7ed558ccdUL; x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53UL; x ^= x >> 33;
        return x;
    }
}

/// <summary>The training groups of one window, with stage 1's recall on it.</summary>
/// <param name="Start">The window start S.</param>
/// <param name="Rows">Groups with at least one relevant candidate.</param>
/// <param name="Users">Users with a relevant item (after sampling).</param>
/// <param name="RelevantPairs">Their relevant (user, item) pairs.</param>
/// <param name="CoveredPairs">Of those, pairs that stage 1 put among the candidates.</param>
public sealed record WindowRows(long Start, RankingRows Rows, int Users, int RelevantPairs, int CoveredPairs)
{
    /// <summary>Stage 1's recall: covered / relevant pairs.</summary>
    public double Recall => RelevantPairs == 0 ? 0 : (double)CoveredPairs / RelevantPairs;
}
