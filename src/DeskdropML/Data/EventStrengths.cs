namespace DeskdropML.Data;

/// <summary>What the loader does with an event type that has no strength in the table.</summary>
public enum UnknownEventPolicy
{
    /// <summary>Stop with a <see cref="DataFormatException"/> naming file and line (default).</summary>
    Error,

    /// <summary>Skip the row; skipped rows are counted in the load report under their event type.</summary>
    Skip,
}

/// <summary>
/// A table from event type (exact, case-sensitive) to interaction strength.
/// </summary>
public sealed class EventStrengths
{
    private readonly Dictionary<string, float> _strengths;
    private readonly Dictionary<string, float>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    /// <summary>Creates a table from (event type, strength) pairs.</summary>
    /// <exception cref="ArgumentException">A strength is negative, NaN or infinite.</exception>
    public EventStrengths(IEnumerable<KeyValuePair<string, float>> strengths)
    {
        ArgumentNullException.ThrowIfNull(strengths);
        _strengths = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var (name, value) in strengths)
        {
            if (!float.IsFinite(value) || value < 0)
                throw new ArgumentException($"Strength of event '{name}' must be a finite number >= 0; got {value}.", nameof(strengths));
            _strengths[name] = value;
        }
        _bySpan = _strengths.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// The Deskdrop notebook's strengths: VIEW 1, LIKE 2, BOOKMARK 2.5, FOLLOW 3, COMMENT CREATED 4.
    /// </summary>
    public static EventStrengths Deskdrop { get; } = new(new Dictionary<string, float>
    {
        ["VIEW"] = 1f,
        ["LIKE"] = 2f,
        ["BOOKMARK"] = 2.5f,
        ["FOLLOW"] = 3f,
        ["COMMENT CREATED"] = 4f,
    });

    /// <summary>The event types in the table.</summary>
    public IEnumerable<string> EventTypes => _strengths.Keys;

    /// <summary>Looks up the strength of an event type.</summary>
    public bool TryGetStrength(string eventType, out float strength) => _strengths.TryGetValue(eventType, out strength);

    /// <summary>Looks up the strength of an event type given as characters (no string is allocated).</summary>
    public bool TryGetStrength(ReadOnlySpan<char> eventType, out float strength) => _bySpan.TryGetValue(eventType, out strength);
}
