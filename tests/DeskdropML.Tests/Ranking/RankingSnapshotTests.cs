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

    private static CandidateOptions Options(int recency = 10, int fresh = 0, int coread = 0) =>
        new() { RecencyHalfLifeHours = 1, Recency = recency, Fresh = fresh, CoRead = coread };

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
}
