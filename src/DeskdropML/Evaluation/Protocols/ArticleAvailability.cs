using DeskdropML.Data;

namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// When each article became available and when it was withdrawn, from the CONTENT SHARED and CONTENT REMOVED rows of
/// an article file. Used by <see cref="CandidatePolicy.Available"/>.
/// </summary>
/// <remarks>
/// An article is available at time t when its first CONTENT SHARED row has a timestamp &lt; t and it has no
/// CONTENT REMOVED row with a timestamp &lt; t. Rows with an empty timestamp are ignored (the partial Deskdrop
/// article file has 30 such CONTENT SHARED rows: their articles are never added, only reached when seen).
/// </remarks>
public sealed class ArticleAvailability
{
    private readonly Dictionary<string, long> _shared;
    private readonly Dictionary<string, long> _removed;

    /// <summary>Creates the availability table from (content id → first shared time) and (content id → first removed time).</summary>
    public ArticleAvailability(IReadOnlyDictionary<string, long> shared, IReadOnlyDictionary<string, long> removed)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(removed);
        _shared = new Dictionary<string, long>(shared, StringComparer.Ordinal);
        _removed = new Dictionary<string, long>(removed, StringComparer.Ordinal);
    }

    /// <summary>Content ids with a known sharing time.</summary>
    public IEnumerable<string> SharedIds => _shared.Keys;

    /// <summary>True when <paramref name="contentId"/> was shared before <paramref name="time"/> and not removed before it.</summary>
    public bool IsAvailable(string contentId, long time) =>
        _shared.TryGetValue(contentId, out long s) && s < time && !(_removed.TryGetValue(contentId, out long r) && r < time);

    /// <summary>Reads an article file (plain or gzip) with the columns <c>timestamp</c>, <c>eventType</c> and <c>contentId</c>.</summary>
    /// <exception cref="DataFormatException">A missing column or a malformed timestamp, with file and line.</exception>
    public static ArticleAvailability Load(string path)
    {
        using var reader = new CsvRecordReader(path);
        try
        {
            return Read(reader);
        }
        catch (DataFormatException e) when (reader.IsCompressed)
        {
            var explained = reader.Explain(e);
            if (ReferenceEquals(explained, e)) throw;
            throw explained;
        }
    }

    private static ArticleAvailability Read(CsvRecordReader reader)
    {
        string file = reader.FilePath;
        var header = reader.ReadRecord()?.ToArray() ?? throw new DataFormatException(file, 0, null, "the file is empty (no header row)");
        var columns = InteractionCsvLoader.HeaderIndex(reader, header);
        int time = InteractionCsvLoader.Require(file, columns, "timestamp", "timestamp");
        int ev = InteractionCsvLoader.Require(file, columns, "eventType", "event type");
        int id = InteractionCsvLoader.Require(file, columns, "contentId", "content id");
        var timestamps = new TimestampParser(TimestampUnit.Auto, file, header[time]);
        var shared = new Dictionary<string, long>(StringComparer.Ordinal);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        IReadOnlyList<string>? row;
        while ((row = reader.ReadRecord()) is not null)
        {
            long line = reader.RecordLine;
            if (row.Count != header.Length)
                throw new DataFormatException(file, line, null, $"the row has {row.Count} fields but the header has {header.Length}");
            if (row[time].Length == 0) continue;
            long t = timestamps.Parse(row[time], line, reader.FieldPosition(time));
            var target = row[ev] switch { "CONTENT SHARED" => shared, "CONTENT REMOVED" => removed, _ => null };
            if (target is null) continue;
            if (!target.TryGetValue(row[id], out long first) || t < first) target[row[id]] = t;
        }
        return new ArticleAvailability(shared, removed);
    }
}
