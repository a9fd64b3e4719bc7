namespace DeskdropML.Ranking;

/// <summary>Groups of ranking features, switched off together for an ablation.</summary>
[Flags]
public enum FeatureGroups
{
    /// <summary>No feature.</summary>
    None = 0,

    /// <summary>Decayed event counts at every half-life, the share of the main half-life's count, all-time events and readers.</summary>
    Popularity = 1,

    /// <summary>Trend: the shortest half-life's event rate over the longest one's.</summary>
    Trend = 2,

    /// <summary>Item age since its first event and time since its last event.</summary>
    Age = 4,

    /// <summary>The user's own recency and activity: hours since the user's last event, events, distinct items.</summary>
    User = 8,

    /// <summary>Co-reads with the user's most recent items ("read next"): summed and max cosine, last-item cosine, summed counts (also a candidate generator).</summary>
    CoRead = 16,

    /// <summary>The rank each candidate generator gives the item (recency, freshness, co-read).</summary>
    GeneratorRanks = 32,

    /// <summary>
    /// Freshness among the user's neighbours (users who read the same items): decayed reads of each item by the
    /// neighbours, weighted by cosine similarity, their number, the largest similarity, and the item's rank by that
    /// score (also a candidate generator). Personal, unlike the other freshness groups.
    /// </summary>
    Neighbours = 64,

    /// <summary>Every group.</summary>
    All = Popularity | Trend | Age | User | CoRead | GeneratorRanks | Neighbours,
}

/// <summary>Names and parsing of <see cref="FeatureGroups"/> (for options and the command line).</summary>
public static class FeatureGroupNames
{
    /// <summary>The single groups in order.</summary>
    public static IReadOnlyList<FeatureGroups> Singles { get; } =
        new[] { FeatureGroups.Popularity, FeatureGroups.Trend, FeatureGroups.Age, FeatureGroups.User, FeatureGroups.CoRead, FeatureGroups.GeneratorRanks, FeatureGroups.Neighbours };

    /// <summary>Lower-case name of a single group: popularity, trend, age, user, coread, ranks, neighbours.</summary>
    public static string Name(FeatureGroups group) => group switch
    {
        FeatureGroups.Popularity => "popularity",
        FeatureGroups.Trend => "trend",
        FeatureGroups.Age => "age",
        FeatureGroups.User => "user",
        FeatureGroups.CoRead => "coread",
        FeatureGroups.GeneratorRanks => "ranks",
        FeatureGroups.Neighbours => "neighbours",
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Not a single feature group."),
    };

    /// <summary>Parses one group name (see <see cref="Name"/>).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static FeatureGroups Parse(string name)
    {
        foreach (var g in Singles) if (Name(g) == name) return g;
        throw new ArgumentException($"Unknown feature group '{name}' (known: {string.Join(", ", Singles.Select(Name))}).", nameof(name));
    }
}
