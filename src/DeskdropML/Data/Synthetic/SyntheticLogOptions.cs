namespace DeskdropML.Data.Synthetic;

/// <summary>
/// What <see cref="SyntheticLogGenerator"/> generates. Every property has a documented default; <see cref="Validate"/>
/// names the first bad one.
/// </summary>
public sealed class SyntheticLogOptions
{
    /// <summary>Interaction rows to write (exactly). Default 2,000,000.</summary>
    public long Rows { get; set; } = 2_000_000;

    /// <summary>Users u0 .. u(Users−1). Rows are spread over them by a log-normal activity; some get none. Default 100,000.</summary>
    public int Users { get; set; } = 100_000;

    /// <summary>Items i0 .. i(Items−1). Default 20,000.</summary>
    public int Items { get; set; } = 20_000;

    /// <summary>Seed: the same seed and options give the same bytes. Default 1.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Planted topics. Every item has one topic (uniform); every user <see cref="TopicsPerUser"/>. Default 40.</summary>
    public int Topics { get; set; } = 40;

    /// <summary>Topics per user (drawn uniformly, repeats allowed). Default 2.</summary>
    public int TopicsPerUser { get; set; } = 2;

    /// <summary>Probability that a fresh (non-repeat) event's item is drawn from one of the user's topics rather than from all items. Default 0.85.</summary>
    public double TopicAffinity { get; set; } = 0.85;

    /// <summary>Zipf exponent s of item popularity: the item of popularity rank k (1-based, ranks a random permutation of the items) has weight k^−s. Default 1.0.</summary>
    public double ZipfExponent { get; set; } = 1.0;

    /// <summary>σ of the log-normal user activity (a user's share of the rows ∝ exp(σ·N(0,1))). Default 1.0.</summary>
    public double ActivitySigma { get; set; } = 1.0;

    /// <summary>Probability that an event (after a user's first) revisits an item the user already touched. Default 0.3.</summary>
    public double RepeatProbability { get; set; } = 0.3;

    /// <summary>Start of the log, Unix seconds. Default 1451606400 (2016-01-01T00:00:00Z).</summary>
    public long StartTime { get; set; } = 1_451_606_400;

    /// <summary>Length of the log in days: every timestamp is in [StartTime, StartTime + 86,400·Days). Default 365.</summary>
    public int Days { get; set; } = 365;

    /// <summary>
    /// Half-life in hours of an item's attention: an event happens an exponential age after the item's publish time
    /// (uniform over the log), P(age &gt; a) = 2^(−a / half-life); a revisit follows the earlier event the same way.
    /// Default 12.
    /// </summary>
    public double HalfLifeHours { get; set; } = 12;

    /// <summary>
    /// Event types and their shares (normalised), by default Deskdrop's <c>users_interactions.csv</c>: VIEW 61,086,
    /// LIKE 5,745, BOOKMARK 2,463, COMMENT CREATED 1,611, FOLLOW 1,407 of 72,312 rows.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> EventMix { get; set; } = DeskdropEventMix;

    /// <summary>Deskdrop's event counts (see <see cref="EventMix"/>).</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> DeskdropEventMix { get; } =
    [
        new("VIEW", 61_086), new("LIKE", 5_745), new("BOOKMARK", 2_463), new("COMMENT CREATED", 1_611), new("FOLLOW", 1_407),
    ];

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The first option out of range, by name.</exception>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule} (got {value}).");
        }
        Check(Rows > 0, nameof(Rows), Rows, "> 0");
        Check(Users > 0, nameof(Users), Users, "> 0");
        Check(Items > 0, nameof(Items), Items, "> 0");
        Check(Topics > 0 && Topics <= Items, nameof(Topics), Topics, "in [1, Items]");
        Check(TopicsPerUser > 0 && TopicsPerUser <= Topics, nameof(TopicsPerUser), TopicsPerUser, "in [1, Topics]");
        Check(TopicAffinity is >= 0 and <= 1, nameof(TopicAffinity), TopicAffinity, "in [0, 1]");
        Check(ZipfExponent is >= 0 and <= 10, nameof(ZipfExponent), ZipfExponent, "in [0, 10]");
        Check(ActivitySigma is >= 0 and <= 5, nameof(ActivitySigma), ActivitySigma, "in [0, 5]");
        Check(RepeatProbability is >= 0 and < 1, nameof(RepeatProbability), RepeatProbability, "in [0, 1)");
        Check(Days > 0 && Days <= 36_500, nameof(Days), Days, "in [1, 36500]");
        Check(StartTime >= 0 && StartTime <= 4_000_000_000, nameof(StartTime), StartTime, "in [0, 4e9] Unix seconds");
        Check(HalfLifeHours > 0 && double.IsFinite(HalfLifeHours), nameof(HalfLifeHours), HalfLifeHours, "a finite number > 0");
        Check(EventMix is { Count: > 0 and <= 255 } && EventMix.All(e => !string.IsNullOrEmpty(e.Key) && e.Value >= 0 && double.IsFinite(e.Value)) && EventMix.Sum(e => e.Value) > 0,
            nameof(EventMix), EventMix?.Count ?? 0, "1 to 255 named event types with finite weights >= 0, not all 0");
        var mix = EventMix!;
        Check(mix.All(e => e.Key.IndexOfAny([',', '"', '\r', '\n']) < 0), nameof(EventMix), mix.Count, "event names without commas, quotes or line breaks");
    }
}
