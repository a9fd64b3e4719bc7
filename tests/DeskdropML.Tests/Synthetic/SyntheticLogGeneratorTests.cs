using DeskdropML.Data;
using DeskdropML.Data.Synthetic;

namespace DeskdropML.Tests.Synthetic;

/// <summary>The generator's contract: exact row count, determinism, the planted shapes, the documented order.</summary>
public class SyntheticLogGeneratorTests
{
    private static SyntheticLogOptions Small(long seed = 7, long rows = 20_000) => new()
    {
        Rows = rows, Users = 1_000, Items = 500, Seed = seed, Topics = 10,
    };

    private static byte[] Bytes(SyntheticLogOptions options, bool parquet)
    {
        using var stream = new MemoryStream();
        var generator = new SyntheticLogGenerator(options);
        if (parquet) generator.WriteParquet(stream); else generator.WriteCsvGzip(stream);
        return stream.ToArray();
    }

    /// <summary>All rows of a run as tuples (small runs only).</summary>
    internal static List<(int User, int Item, long Time, string Event)> Rows(SyntheticLogOptions options)
    {
        var generator = new SyntheticLogGenerator(options);
        var rows = new List<(int, int, long, string)>();
        generator.Generate(b =>
        {
            for (int r = 0; r < b.Count; r++) rows.Add((b.User[r], b.Item[r], b.Time[r], generator.EventNames[b.Event[r]]));
        }, progress: null);
        return rows;
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        foreach (bool parquet in new[] { false, true })
        {
            var a = Bytes(Small(), parquet);
            var b = Bytes(Small(), parquet);
            var c = Bytes(Small(seed: 8), parquet);
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }
    }

    [Fact]
    public void Writes_exactly_the_rows_asked_grouped_by_user_in_time_order_inside_the_period()
    {
        var o = Small(rows: 12_345);
        var rows = Rows(o);
        Assert.Equal(12_345, rows.Count);
        long start = o.StartTime, end = o.StartTime + 86_400L * o.Days;
        for (int r = 0; r < rows.Count; r++)
        {
            Assert.InRange(rows[r].Time, start, end - 1);
            Assert.InRange(rows[r].User, 0, o.Users - 1);
            Assert.InRange(rows[r].Item, 0, o.Items - 1);
            if (r == 0) continue;
            Assert.True(rows[r].User >= rows[r - 1].User, $"row {r}: users must come in order");
            if (rows[r].User == rows[r - 1].User) Assert.True(rows[r].Time >= rows[r - 1].Time, $"row {r}: a user's rows must be in time order");
        }
    }

    [Fact]
    public void The_event_mix_is_Deskdrops_within_one_point_on_100k_rows()
    {
        var rows = Rows(new SyntheticLogOptions { Rows = 100_000, Users = 5_000, Items = 2_000, Seed = 3 });
        double total = SyntheticLogOptions.DeskdropEventMix.Sum(e => e.Value);
        foreach (var (name, count) in SyntheticLogOptions.DeskdropEventMix)
        {
            double share = rows.Count(r => r.Event == name) / (double)rows.Count;
            Assert.InRange(share, count / total - 0.01, count / total + 0.01);
        }
        // Every event name has a Deskdrop strength, so the log loads with --event-col event.
        Assert.All(rows.Select(r => r.Event).Distinct(), e => Assert.True(EventStrengths.Deskdrop.TryGetStrength(e, out _)));
    }

    [Fact]
    public void Item_popularity_follows_Zipf_with_the_given_exponent_on_100k_rows()
    {
        // Without topics and revisits every event draws its item from the global Zipf table: the log-log slope of
        // count against rank over the 100 most popular items estimates -s.
        foreach (double s in new[] { 0.8, 1.2 })
        {
            var rows = Rows(new SyntheticLogOptions { Rows = 100_000, Users = 5_000, Items = 2_000, Seed = 5, ZipfExponent = s, TopicAffinity = 0, RepeatProbability = 0 });
            var counts = rows.GroupBy(r => r.Item).Select(g => (double)g.Count()).OrderByDescending(c => c).Take(100).ToArray();
            var x = Enumerable.Range(1, counts.Length).Select(k => Math.Log(k)).ToArray();
            var y = counts.Select(c => Math.Log(c)).ToArray();
            double mx = x.Average(), my = y.Average();
            double slope = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / x.Sum(v => (v - mx) * (v - mx));
            Assert.InRange(slope, -s - 0.15, -s + 0.15);
        }
    }

    [Fact]
    public void Users_read_mostly_within_their_planted_topics()
    {
        // With affinity 0.85 and 2 topics per user out of 10, a user's two most frequent item topics hold far more
        // than the 20% of their events that uniform topics would give.
        var o = new SyntheticLogOptions { Rows = 50_000, Users = 1_000, Items = 2_000, Seed = 11, Topics = 10, RepeatProbability = 0 };
        var rows = Rows(o);
        var topicOf = PlantedItemTopics(seed: 11, items: 2_000, topics: 10);
        double share = rows.GroupBy(r => r.User).Where(g => g.Count() >= 20).Average(g =>
            g.GroupBy(r => topicOf[r.Item]).Select(t => t.Count()).OrderDescending().Take(2).Sum() / (double)g.Count());
        Assert.True(share > 0.6, $"share of events in a user's top-2 topics {share:F3}");
    }

    /// <summary>The planted item topics: the setup stream (stream 0 of the seed) draws each item's topic first.</summary>
    private static int[] PlantedItemTopics(long seed, int items, int topics)
    {
        var random = new SyntheticRandom(seed, 0);
        return Enumerable.Range(0, items).Select(_ => random.Next(topics)).ToArray();
    }

    [Fact]
    public void Events_concentrate_in_the_hours_after_an_items_first_event()
    {
        // Half-life 12 h: for most items the median event is within a day of the item's first event.
        var rows = Rows(new SyntheticLogOptions { Rows = 100_000, Users = 5_000, Items = 2_000, Seed = 9, RepeatProbability = 0 });
        var lags = rows.GroupBy(r => r.Item).Where(g => g.Count() >= 10).Select(g =>
        {
            var times = g.Select(r => r.Time).Order().ToArray();
            return times[times.Length / 2] - times[0];
        }).Order().ToArray();
        Assert.True(lags.Length > 100);
        Assert.True(lags[lags.Length / 2] < 86_400, $"median lag {lags[lags.Length / 2]} s");
    }

    [Fact]
    public void Bad_options_are_refused_by_name()
    {
        Assert.Equal("Rows", Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticLogGenerator(new SyntheticLogOptions { Rows = 0 })).ParamName);
        Assert.Equal("Users", Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticLogGenerator(new SyntheticLogOptions { Users = -1 })).ParamName);
        Assert.Equal("Items", Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticLogGenerator(new SyntheticLogOptions { Items = 0 })).ParamName);
        Assert.Equal("Topics", Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticLogGenerator(new SyntheticLogOptions { Items = 5, Topics = 6 })).ParamName);
        Assert.Equal("HalfLifeHours", Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticLogGenerator(new SyntheticLogOptions { HalfLifeHours = double.NaN })).ParamName);
    }
}
