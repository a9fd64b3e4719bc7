namespace DeskdropML.Data;

/// <summary>How summed pair strengths are smoothed.</summary>
public enum StrengthSmoothing
{
    /// <summary><c>log2(1 + sum)</c>, the notebook's smoothing (default).</summary>
    Log2OnePlus,

    /// <summary>The plain sum of the pair's row strengths.</summary>
    None,
}

/// <summary>
/// The rules that turn an <see cref="InteractionLog"/> into train and test matrices.
/// Exactly one of <see cref="SplitTime"/> and <see cref="TestFraction"/> must be set.
/// </summary>
public sealed class DatasetOptions
{
    /// <summary>The Deskdrop notebook's split time (Unix seconds).</summary>
    public const long DeskdropSplitTime = 1475519530;

    /// <summary>Keep users with at least this many distinct items (over all rows). Default 5; must be >= 1.</summary>
    public int MinItemsPerUser { get; set; } = 5;

    /// <summary>Smoothing of the summed strength of a (user, item) pair. Default <c>log2(1 + sum)</c>.</summary>
    public StrengthSmoothing Smoothing { get; set; } = StrengthSmoothing.Log2OnePlus;

    /// <summary>A pair is in train when its last timestamp is strictly before this time (Unix seconds).</summary>
    public long? SplitTime { get; set; }

    /// <summary>
    /// Alternative to <see cref="SplitTime"/>: the split time is <c>tmin + (1 - f) (tmax - tmin)</c> over the
    /// last timestamps of the kept pairs, so that roughly the last fraction f of the time span is test.
    /// Must be in (0, 1).
    /// </summary>
    public double? TestFraction { get; set; }

    internal void Validate()
    {
        if (MinItemsPerUser < 1)
            throw new ArgumentOutOfRangeException(nameof(MinItemsPerUser), MinItemsPerUser, "MinItemsPerUser must be >= 1.");
        if (SplitTime.HasValue == TestFraction.HasValue)
            throw new ArgumentException("Set exactly one of SplitTime and TestFraction.", nameof(SplitTime));
        if (TestFraction is double f && !(f > 0 && f < 1))
            throw new ArgumentOutOfRangeException(nameof(TestFraction), f, "TestFraction must be in (0, 1).");
    }
}
