namespace DeskdropML.Data;

/// <summary>The unit of integer timestamps in an interactions file.</summary>
public enum TimestampUnit
{
    /// <summary>
    /// Decided per file from the first integer timestamp: a magnitude of at least 10^11 is milliseconds (as
    /// seconds it would be after the year 5138), anything smaller is seconds (as milliseconds it would be before
    /// March 1973). Every later integer timestamp must fall in the same class; a mixture is an error naming the
    /// first row that differs. Default.
    /// </summary>
    Auto,

    /// <summary>Every integer timestamp is Unix seconds.</summary>
    Seconds,

    /// <summary>Every integer timestamp is Unix milliseconds (floored to seconds).</summary>
    Milliseconds,
}
