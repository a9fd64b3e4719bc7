using DeskdropML.Ranking;

namespace DeskdropML.Tests.Ranking;

public class RankingSnapshotTests
{
    private const long H = 3600;

    private static FreshnessState State()
    {
        var (u, i, t) = FreshnessStateTests.Log();
        var s = new FreshnessState(4, 5, new FreshnessState.Options { HalfLivesHours = new[] { 1.0, 2.0 }, RecentItems = 2, CoReadWindow = 2 });
        s.Advance(u, i, t, 8 * H); // item 4 and user 3 have no event
        return s;
    }

    private static CandidateOptions Options(int recency = 10, int fresh = 0, int coread = 0, int neighbours = 0) =>
        new() { RecencyHalfLifeHours = 1, Recency = recency, Fresh = fresh, CoRead = coread, Neighbours = neighbours };

    /// <summary>
    /// Neighbour log (hours): u0 reads i0@0, i1@1; u1 reads i0@2, i1@3, i2@6; u2 reads i0@4, i3@7; u3 reads i4@5. State at 8 h.
    /// </summary>
    private static FreshnessState NeighbourState()
    {
        var s = new FreshnessState(4, 5, new FreshnessState.Options { HalfLivesHours = new[] { 1.0 }, RecentItems = 3, CoReadWindow = 1 });
        s.Advance(new[] { 0, 0, 1, 1, 2, 3, 1, 2 }, new[] { 0, 1, 0, 1, 0, 4, 2, 3 },
            new[] { 0, 1 * H, 2 * H, 3 * H, 4 * H, 5 * H, 6 * H, 7 * H }, 8 * H);
        return s;
    }

    [Fact]
    public void Neighbour_scores_weight_each_neighbours_decayed_reads_by_cosine_similarity()
    {
        var snap = new RankingSnapshot(NeighbourState(), 8 * H, Options(recency: 10, neighbours: 5));
        var nb = snap.NeighbourScores(0);
        // u0 has 2 items; u1 shares both (3 items): sim 2/√6; u2 shares i0 (2 items): sim 1/√4; u3 shares nothing.
        double s1 = 2 / Math.Sqrt(6), s2 = 0.5;
        Assert.Equal(new[] { 3, 2 }, nb.Order);                          // i3: 0.5·0.5^1 = 0.25 > i2: 0.816·0.5^2 = 0.204
        Assert.Equal(s2 * 0.5, nb.Scores[3].Recency, 5);
        Assert.Equal(s1 * 0.25, nb.Scores[2].Recency, 5);
        Assert.Equal((float)s1, nb.Scores[2].MaxSimilarity, 5);
        Assert.Equal(1f, nb.Scores[3].Readers);
        Assert.False(nb.Scores.ContainsKey(4));                          // read only by u3, no overlap
        Assert.False(nb.Scores.ContainsKey(0));                          // read by u0 already
        Assert.Empty(snap.NeighbourScores(3).Order);                    // u3's only item has no other reader

        var c = snap.Candidates(0);
        Assert.Equal(new[] { 2, 3, 4 }, c.Items);
        var names = snap.FeatureNames.ToList();
        var rows = new float[c.Items.Length * names.Count];
        snap.Features(c, rows);
        float F(int item, string name) => rows[Array.IndexOf(c.Items, item) * names.Count + names.IndexOf(name)];
        Assert.Equal(s1 * 0.25, F(2, "neighbour_recency"), 5);
        Assert.Equal(0f, F(4, "neighbour_recency"));
        Assert.Equal(0f, F(3, "rank_neighbour"));
        Assert.Equal(1f, F(2, "rank_neighbour"));
        Assert.Equal(2f, F(4, "rank_neighbour"));                        // not a neighbour item: after the 2 that are
        Assert.Equal((float)s2, F(3, "neighbour_max_similarity"), 5);
    }

    [Fact]
    public void Neighbour_generator_adds_personal_candidates_and_caps_readers()
    {
        var state = NeighbourState();
        // Neighbours only: the neighbour items of u0, not i4.
        Assert.Equal(new[] { 2, 3 }, new RankingSnapshot(state, 8 * H, Options(recency: 0, neighbours: 5)).Candidates(0).Items);
        Assert.Equal(new[] { 3 }, new RankingSnapshot(state, 8 * H, Options(recency: 0, neighbours: 1)).Candidates(0).Items);
        // One reader per query item (the latest first reader): i0 → u2, i1 → u1, each with overlap 1.
        var capped = new CandidateOptions { RecencyHalfLifeHours = 1, Recency = 0, Neighbours = 5, NeighbourReaders = 1 };
        var nb = new RankingSnapshot(state, 8 * H, capped).NeighbourScores(0);
        Assert.Equal(1 / Math.Sqrt(6) * 0.25, nb.Scores[2].Recency, 5);
        Assert.Equal(0.5 * 0.5, nb.Scores[3].Recency, 5);
        // Only the most similar neighbour (u1, 0.816 > u2's 0.5): i3 drops out.
        var nearest = new CandidateOptions { RecencyHalfLifeHours = 1, Recency = 0, Neighbours = 5, MaxNeighbours = 1 };
        Assert.Equal(new[] { 2 }, new RankingSnapshot(state, 8 * H, nearest).NeighbourScores(0).Order);
        // Without the group the generator is off.
        var off = new CandidateOptions { RecencyHalfLifeHours = 1, Recency = 0, Fresh = 1, CoRead = 0, Neighbours = 5, Groups = FeatureGroups.All & ~FeatureGroups.Neighbours };
        Assert.Equal(new[] { 3 }, new RankingSnapshot(state, 8 * H, off).Candidates(0).Items); // i3 is the newest item
        Assert.DoesNotContain("neighbour_recency", new RankingSnapshot(state, 8 * H, off).FeatureNames);
    }

    [Fact]
    public void Rankings_follow_decayed_counts_and_first_events()
    {
        var snap = new RankingSnapshot(State(), 8 * H, Options());
        // h = 1 h at 8 h: i0 0.5^8+0.5^4, i1 0.5^7+0.5^5, i2 0.5^6, i3 0.5^3+0.5^2.
        Assert.Equal(new[] { 1, 2, 3, 0 }, new[] { 0, 1, 2, 3 }.Select(snap.RecencyRank).ToArray());
        Assert.Equal(new[] { 3, 2, 1, 0 }, new[] { 0, 1, 2, 3 }.Select(snap.FreshRank).ToArray());
        Assert.False(snap.IsSeen(4));
        Assert.Equal(int.MaxValue, snap.RecencyRank(4));
        Assert.Equal(4, snap.SeenCount);
    }

    [Fact]
    public void Candidates_are_the_generators_union_without_read_or_unseen_items()
    {
        var state = State();
        Assert.Equal(new[] { 3 }, new RankingSnapshot(state, 8 * H, Options(recency: 10)).Candidates(0).Items);
        Assert.Equal(new[] { 0, 1, 2, 3 }, new RankingSnapshot(state, 8 * H, Options(recency: 10)).Candidates(3).Items);
        Assert.Equal(new[] { 3 }, new RankingSnapshot(state, 8 * H, Options(recency: 1)).Candidates(3).Items);
        Assert.Equal(new[] { 2, 3 }, new RankingSnapshot(state, 8 * H, Options(recency: 0, fresh: 2)).Candidates(3).Items);
        // Co-read only: u1's recent items i0, i1 have neighbours i1, i0 (read) and i2 (via i1 and i0 for u0).
        Assert.Equal(new[] { 2 }, new RankingSnapshot(state, 8 * H, Options(recency: 0, coread: 5)).Candidates(1).Items);
        Assert.Empty(new RankingSnapshot(state, 8 * H, Options(recency: 0, coread: 5)).Candidates(2).Items);
    }

    [Fact]
    public void Feature_rows_hold_the_defined_values()
    {
        var state = State();
        var snap = new RankingSnapshot(state, 10 * H, Options(recency: 10, coread: 5));
        var names = snap.FeatureNames;
        Assert.Equal(RankingFeatures.FullCount(2), names.Count);
        var c = snap.Candidates(1); // u1 read i1@3 h, i0@4 h
        Assert.Equal(new[] { 2, 3 }, c.Items);
        var rows = new float[c.Items.Length * names.Count];
        snap.Features(c, rows);
        float F(int item, string name) => rows[Array.IndexOf(c.Items, item) * names.Count + names.ToList().IndexOf(name)];
        Assert.Equal(Math.Pow(0.5, 8), F(2, "pop_1h"), 6);              // i2 read at 2 h, now 10 h
        Assert.Equal(Math.Pow(0.5, 4), F(2, "pop_2h"), 6);
        Assert.Equal(8f, F(2, "age_hours"));
        Assert.Equal(4f, F(3, "since_last_event_hours"));             // i3 last read at 6 h
        Assert.Equal(5f, F(3, "age_hours"));
        Assert.Equal(2f, F(3, "events"));
        Assert.Equal(1f, F(3, "readers"));
        Assert.Equal(6f, F(3, "user_idle_hours"));                    // u1's last event at 4 h
        Assert.Equal(2f, F(3, "user_events"));
        double total = new[] { 0, 1, 2, 3 }.Sum(i => state.Decayed(0, i, 10 * H));
        Assert.Equal(state.Decayed(0, 3, 10 * H) / total, F(3, "pop_share"), 5);
        Assert.Equal((Math.Pow(0.5, 5) + Math.Pow(0.5, 4) + 0.01) / ((Math.Pow(0.5, 2.5) + Math.Pow(0.5, 2)) / 2 + 0.01), F(3, "trend"), 4);
        // Co-reads of i2 with u1's recent items [i0, i1]: C(i1, i2) = 1 (u0, window 2), C(i0, i2) = 1; readers 2, 2, 1.
        double cos = 1 / Math.Sqrt(2 * 1);
        Assert.Equal(2 * cos, F(2, "coread_sum_cosine"), 5);
        Assert.Equal(cos, F(2, "coread_max_cosine"), 5);
        Assert.Equal(cos, F(2, "coread_last_item_cosine"), 5);        // u1's most recent item is i0
        Assert.Equal(2f, F(2, "coread_sum_count"));
        Assert.Equal(0f, F(3, "coread_sum_cosine"));
        Assert.Equal(0f, F(2, "rank_coread"));
        Assert.Equal(1f, F(3, "rank_coread"));                        // not a neighbour: after the 1 unread neighbour
        Assert.Equal(0f, F(3, "rank_recency"));
    }

    [Fact]
    public void Disabled_groups_drop_their_columns()
    {
        var snap = new RankingSnapshot(State(), 8 * H, new CandidateOptions { RecencyHalfLifeHours = 1, Groups = FeatureGroups.Age | FeatureGroups.Trend });
        Assert.Equal(new[] { "trend", "age_hours", "since_last_event_hours" }, snap.FeatureNames);
        var c = snap.Candidates(3);
        var rows = new float[c.Items.Length * 3];
        snap.Features(c, rows);
        Assert.Equal(8f, rows[0 * 3 + 1]); // i0 first read at 0 h
    }

    [Fact]
    public void A_snapshot_is_refused_after_the_state_moves_on()
    {
        var state = State();
        var snap = new RankingSnapshot(state, 8 * H, Options());
        state.Advance(Array.Empty<int>(), Array.Empty<int>(), Array.Empty<long>(), 9 * H);
        Assert.Throws<InvalidOperationException>(() => snap.Candidates(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RankingSnapshot(state, 8 * H, Options()));
    }

    [Fact]
    public void Co_read_per_item_keeps_each_recent_items_strongest_neighbours()
    {
        var state = NeighbourState(); // co-reads (window 1): i0–i1 (u0, u1), i1–i2 (u1), i0–i3 (u2)
        var all = new RankingSnapshot(state, 8 * H, Options(recency: 0, coread: 10)).CoReadScores(3);
        Assert.Empty(all.Order); // u3's only item i4 has no co-reads
        var full = new RankingSnapshot(state, 8 * H, Options(recency: 0, coread: 10)).CoReadScores(2); // u2: recent [i3, i0]
        var wide = new RankingSnapshot(state, 8 * H, new CandidateOptions { RecencyHalfLifeHours = 1, CoReadPerItem = 1000 }).CoReadScores(2);
        Assert.Equal(full.Order, wide.Order);
        foreach (int i in full.Order) Assert.Equal(full.Scores[i].Sum, wide.Scores[i].Sum, 6);
        // One neighbour per recent item: i0's strongest is i1 (count 2), so u2 keeps i1 only (i3 and i0 are read).
        var one = new RankingSnapshot(state, 8 * H, new CandidateOptions { RecencyHalfLifeHours = 1, CoReadPerItem = 1 }).CoReadScores(2);
        Assert.Equal(new[] { 1 }, one.Order);
        Assert.Contains(1, full.Order);
    }
}
