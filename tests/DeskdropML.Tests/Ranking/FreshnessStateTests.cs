using DeskdropML.Ranking;

namespace DeskdropML.Tests.Ranking;

public class FreshnessStateTests
{
    private const long H = 3600;

    /// <summary>
    /// Hand-made log (3 users, 4 items), times in hours: u0 reads i0@0, i1@1, i2@2; u1 reads i1@3, i0@4; u2 reads i3@5, i3@6.
    /// </summary>
    internal static (int[] U, int[] I, long[] T) Log() => (
        new[] { 0, 0, 0, 1, 1, 2, 2 },
        new[] { 0, 1, 2, 1, 0, 3, 3 },
        new[] { 0, 1 * H, 2 * H, 3 * H, 4 * H, 5 * H, 6 * H });

    [Fact]
    public void Decayed_counts_item_and_user_counters_match_hand_computed_values()
    {
        var (u, i, t) = Log();
        var s = new FreshnessState(3, 4, new FreshnessState.Options { HalfLivesHours = new[] { 1.0, 2.0 }, RecentItems = 2, CoReadWindow = 2 });
        s.Advance(u, i, t, 8 * H);
        // i0: events at 0 h and 4 h, now 8 h: 0.5^8 + 0.5^4 (h = 1 h); 0.5^4 + 0.5^2 (h = 2 h).
        Assert.Equal(Math.Pow(0.5, 8) + Math.Pow(0.5, 4), s.Decayed(0, 0, 8 * H), 12);
        Assert.Equal(Math.Pow(0.5, 4) + Math.Pow(0.5, 2), s.Decayed(1, 0, 8 * H), 12);
        // i3: two events of the same user at 5 h and 6 h.
        Assert.Equal(Math.Pow(0.5, 3) + Math.Pow(0.5, 2), s.Decayed(0, 3, 8 * H), 12);
        // Asking 2 hours later decays by 0.5^2 (h = 1 h) without any new event.
        Assert.Equal((Math.Pow(0.5, 8) + Math.Pow(0.5, 4)) * 0.25, s.Decayed(0, 0, 10 * H), 12);
        Assert.Equal(new[] { 2, 2, 1, 2 }, s.ItemEvents.ToArray());
        Assert.Equal(new[] { 2, 2, 1, 1 }, s.ItemReaders.ToArray());
        Assert.Equal(new[] { 0, 1 * H, 2 * H, 5 * H }, s.ItemFirstSeen.ToArray());
        Assert.Equal(new[] { 4 * H, 3 * H, 2 * H, 6 * H }, s.ItemLastSeen.ToArray());
        Assert.Equal(new[] { 3, 2, 2 }, s.UserEvents.ToArray());
        Assert.Equal(new[] { 3, 2, 1 }, s.UserItems.ToArray());
        Assert.Equal(6 * H, s.LastRead(2, 3));                          // u2 read i3 twice: the last time
        Assert.Equal(long.MinValue, s.LastRead(2, 0));
        Assert.Equal(new[] { 0, 1 }, s.Readers(1).ToArray());             // first-read order
        Assert.Equal(new[] { 1, 0 }, s.ItemsOf(1).ToArray());
        Assert.True(s.ItemsOf(2).Length == 1 && s.Readers(3).Length == 1);
        Assert.Equal(new[] { 2 * H, 4 * H, 6 * H }, s.UserLastSeen.ToArray());
        Assert.Equal(new[] { 2, 1 }, s.RecentItems(0).ToArray()); // 2 kept, most recent first
        Assert.Equal(new[] { 0, 1 }, s.RecentItems(1).ToArray());
        Assert.Equal(new[] { 3 }, s.RecentItems(2).ToArray());
        Assert.True(s.HasRead(1, 0));
        Assert.False(s.HasRead(2, 0));
    }

    [Fact]
    public void Co_reads_count_users_who_read_an_item_while_the_other_was_recent()
    {
        var (u, i, t) = Log();
        var s = new FreshnessState(3, 4, new FreshnessState.Options { HalfLivesHours = new[] { 1.0 }, RecentItems = 2, CoReadWindow = 1 });
        s.Advance(u, i, t, 8 * H);
        // Window 1: u0 pairs i1 with i0, i2 with i1; u1 pairs i0 with i1. u2 has one item.
        Assert.Equal(2f, s.CoRead(0, 1));
        Assert.Equal(2f, s.CoRead(1, 0));
        Assert.Equal(1f, s.CoRead(1, 2));
        Assert.Equal(0f, s.CoRead(0, 2)); // i0 was no longer u0's last item when i2 was read
        Assert.Equal(0f, s.CoRead(3, 3));
        Assert.Equal(4, s.CoReadEntries);

        var wide = new FreshnessState(3, 4, new FreshnessState.Options { HalfLivesHours = new[] { 1.0 }, RecentItems = 2, CoReadWindow = 2 });
        wide.Advance(u, i, t, 8 * H);
        Assert.Equal(1f, wide.CoRead(0, 2)); // with a window of 2, i2 pairs with i1 and i0
    }

    [Fact]
    public void A_re_read_moves_the_item_to_the_front_and_adds_no_co_read()
    {
        var s = new FreshnessState(1, 3, new FreshnessState.Options { HalfLivesHours = new[] { 1.0 }, RecentItems = 3, CoReadWindow = 3 });
        s.Advance(new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 0 }, new[] { 0, H, 2 * H, 3 * H }, 4 * H);
        Assert.Equal(new[] { 0, 2, 1 }, s.RecentItems(0).ToArray());
        Assert.Equal(1f, s.CoRead(0, 1));
        Assert.Equal(1f, s.CoRead(0, 2));
        Assert.Equal(1f, s.CoRead(1, 2));
        Assert.Equal(2, s.ItemEvents[0]);
        Assert.Equal(1, s.ItemReaders[0]);
    }

    [Fact]
    public void Streaming_in_steps_equals_one_advance()
    {
        var random = new Random(7);
        int n = 400;
        var times = Enumerable.Range(0, n).Select(_ => (long)random.Next(0, 100 * (int)H)).OrderBy(x => x).ToArray();
        var users = Enumerable.Range(0, n).Select(_ => random.Next(20)).ToArray();
        var items = Enumerable.Range(0, n).Select(_ => random.Next(30)).ToArray();
        var options = new FreshnessState.Options { HalfLivesHours = new[] { 1.0, 24.0 }, RecentItems = 5, CoReadWindow = 3 };
        long now = 100 * H;
        var once = new FreshnessState(20, 30, options);
        once.Advance(users, items, times, now);
        var steps = new FreshnessState(20, 30, options);
        int pos = 0;
        foreach (long cut in new[] { 10 * H, 10 * H, 37 * H, 80 * H, now })
        {
            int end = pos;
            while (end < n && times[end] < cut) end++;
            steps.Advance(users[pos..end], items[pos..end], times[pos..end], cut);
            pos = end;
        }
        for (int h = 0; h < 2; h++)
            for (int i = 0; i < 30; i++)
                Assert.Equal(once.Decayed(h, i, now), steps.Decayed(h, i, now), 9);
        Assert.Equal(once.ItemReaders.ToArray(), steps.ItemReaders.ToArray());
        for (int a = 0; a < 30; a++)
            for (int b = 0; b < 30; b++)
                Assert.Equal(once.CoRead(a, b), steps.CoRead(a, b));
        for (int u = 0; u < 20; u++) Assert.Equal(once.RecentItems(u).ToArray(), steps.RecentItems(u).ToArray());
    }

    [Fact]
    public void Events_at_or_after_now_or_out_of_order_are_refused()
    {
        var s = new FreshnessState(1, 1);
        var e = Assert.Throws<ArgumentException>(() => s.Advance(new[] { 0 }, new[] { 0 }, new[] { 10L }, 10));
        Assert.Contains("not before now", e.Message);
        s.Advance(new[] { 0 }, new[] { 0 }, new[] { 5L }, 10);
        Assert.Throws<ArgumentException>(() => s.Advance(new[] { 0 }, new[] { 0 }, new[] { 9L }, 20)); // older than the state's time
        Assert.Throws<ArgumentException>(() => s.Advance(new[] { 0, 0 }, new[] { 0, 0 }, new[] { 15L, 12L }, 20));
        Assert.Throws<ArgumentException>(() => s.Advance(Array.Empty<int>(), Array.Empty<int>(), Array.Empty<long>(), 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Decayed(0, 0, 9));
    }

    [Theory]
    [InlineData("HalfLivesHours")]
    [InlineData("RecentItems")]
    [InlineData("CoReadWindow")]
    public void Bad_options_name_the_option(string option)
    {
        var o = new FreshnessState.Options();
        switch (option)
        {
            case "HalfLivesHours": o.HalfLivesHours = new[] { 0.0 }; break;
            case "RecentItems": o.RecentItems = 0; break;
            default: o.CoReadWindow = o.RecentItems + 1; break;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FreshnessState(1, 1, o));
        Assert.Equal(option, e.ParamName);
    }
}
