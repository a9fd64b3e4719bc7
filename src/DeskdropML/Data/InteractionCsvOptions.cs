namespace DeskdropML.Data;

/// <summary>
/// Describes an interactions CSV: a header row naming the columns, then one interaction per row.
/// </summary>
public sealed class InteractionCsvOptions
{
    /// <summary>Header name of the user id column. Default <c>user</c>.</summary>
    public string UserColumn { get; set; } = "user";

    /// <summary>Header name of the item id column. Default <c>item</c>.</summary>
    public string ItemColumn { get; set; } = "item";

    /// <summary>
    /// Header name of the timestamp column. Default <c>timestamp</c>. Values are integers in the unit of
    /// <see cref="TimeUnit"/> or standard ISO 8601 date-times (converted to Unix seconds, UTC unless an offset is
    /// given); see <see cref="InteractionCsvLoader"/>.
    /// </summary>
    public string TimeColumn { get; set; } = "timestamp";

    /// <summary>
    /// Unit of integer timestamps. Default <see cref="TimestampUnit.Auto"/>: seconds or milliseconds decided from
    /// the file's first integer timestamp, a mixture being an error.
    /// </summary>
    public TimestampUnit TimeUnit { get; set; } = TimestampUnit.Auto;

    /// <summary>
    /// Optional header name of a numeric weight column (finite, >= 0). Cannot be combined with
    /// <see cref="EventColumn"/>. Without either, every row has strength 1.
    /// </summary>
    public string? WeightColumn { get; set; }

    /// <summary>Optional header name of an event-type column whose strengths come from <see cref="EventStrengths"/>.</summary>
    public string? EventColumn { get; set; }

    /// <summary>Strength per event type, used with <see cref="EventColumn"/>. Default: the Deskdrop table.</summary>
    public EventStrengths EventStrengths { get; set; } = EventStrengths.Deskdrop;

    /// <summary>What to do with an event type missing from <see cref="EventStrengths"/>. Default: error.</summary>
    public UnknownEventPolicy UnknownEvents { get; set; } = UnknownEventPolicy.Error;

    /// <summary>The options that read the Deskdrop <c>users_interactions.csv</c>.</summary>
    public static InteractionCsvOptions Deskdrop() => new()
    {
        UserColumn = "personId",
        ItemColumn = "contentId",
        TimeColumn = "timestamp",
        EventColumn = "eventType",
    };

    internal void Validate()
    {
        static void Require(string? value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"{name} must name a column.", name);
        }
        Require(UserColumn, nameof(UserColumn));
        Require(ItemColumn, nameof(ItemColumn));
        Require(TimeColumn, nameof(TimeColumn));
        if (WeightColumn is not null && EventColumn is not null)
            throw new ArgumentException("Give either WeightColumn or EventColumn, not both.", nameof(WeightColumn));
        if (!Enum.IsDefined(TimeUnit))
            throw new ArgumentOutOfRangeException(nameof(TimeUnit), TimeUnit, "TimeUnit must be Auto, Seconds or Milliseconds.");
        if (EventColumn is not null && EventStrengths is null)
            throw new ArgumentException("EventColumn needs an EventStrengths table.", nameof(EventStrengths));
    }
}
