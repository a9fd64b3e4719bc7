namespace DeskdropML.Data;

/// <summary>The counts of a built dataset (the facts table of the design document).</summary>
public sealed record DatasetSummary
{
    /// <summary>Interaction rows in the log the dataset was built from.</summary>
    public long InteractionsRaw { get; init; }

    /// <summary>Distinct users in the log.</summary>
    public int UsersTotal { get; init; }

    /// <summary>Users with at least the minimum number of distinct items.</summary>
    public int UsersKept { get; init; }

    /// <summary>Log rows of the kept users.</summary>
    public long InteractionsKept { get; init; }

    /// <summary>Distinct (user, item) pairs of the kept users.</summary>
    public int Pairs { get; init; }

    /// <summary>Distinct items in the kept pairs.</summary>
    public int Items { get; init; }

    /// <summary>Pairs whose last timestamp is before the split time.</summary>
    public int TrainPairs { get; init; }

    /// <summary>Pairs at or after the split time.</summary>
    public int TestPairs { get; init; }

    /// <summary>Users with at least one test pair.</summary>
    public int TestUsers { get; init; }

    /// <summary>Test users without any train pair (cold users).</summary>
    public int ColdTestUsers { get; init; }

    /// <summary>Test pairs whose item has no train pair.</summary>
    public int TestPairsOnItemsWithoutTrain { get; init; }

    /// <summary>The split time used (Unix seconds).</summary>
    public long SplitTime { get; init; }
}
