namespace DeskdropML.Data;

/// <summary>
/// Loads Deskdrop's <c>shared_articles.csv</c> (plain or gzip; the full Kaggle file or the partial copy)
/// and keeps the <c>CONTENT SHARED</c> rows, as the notebook does.
/// </summary>
public static class ArticleCsvLoader
{
    /// <summary>Columns that must be present in the header.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = new[] { "timestamp", "eventType", "contentId", "title", "text", "lang" };

    /// <summary>
    /// Reads the file and returns the <c>CONTENT SHARED</c> articles, first occurrence per content id, with a
    /// report counting the rows left out (other event types, repeated content ids).
    /// </summary>
    /// <exception cref="DataFormatException">The file is missing, damaged or malformed (the message names the file,
    /// line and position; see <see cref="InteractionCsvLoader"/> for the rules on encoding, gzip data and timestamps).</exception>
    public static (IReadOnlyList<Article> Articles, LoadReport Report) Load(string path)
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

    private static (IReadOnlyList<Article> Articles, LoadReport Report) Read(CsvRecordReader reader)
    {
        string file = reader.FilePath;
        var header = reader.ReadRecord()?.ToArray() ?? throw new DataFormatException(file, 0, null, "the file is empty (no header row)");
        var columns = InteractionCsvLoader.HeaderIndex(reader, header);
        int time = InteractionCsvLoader.Require(file, columns, "timestamp", "timestamp");
        int ev = InteractionCsvLoader.Require(file, columns, "eventType", "event type");
        int id = InteractionCsvLoader.Require(file, columns, "contentId", "content id");
        int title = InteractionCsvLoader.Require(file, columns, "title", "title");
        int text = InteractionCsvLoader.Require(file, columns, "text", "text");
        int lang = InteractionCsvLoader.Require(file, columns, "lang", "language");
        int url = columns.TryGetValue("url", out int u) ? u : -1;
        var timestamps = new TimestampParser(TimestampUnit.Auto, file, header[time]);

        var articles = new List<Article>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rejected = new Dictionary<string, long>(StringComparer.Ordinal);
        long read = 0;
        IReadOnlyList<string>? row;
        while ((row = reader.ReadRecord()) is not null)
        {
            read++;
            long line = reader.RecordLine;
            if (row.Count != header.Length)
                throw new DataFormatException(file, line, null, $"the row has {row.Count} fields but the header has {header.Length}");
            string contentId = row[id];
            if (contentId.Length == 0) throw new DataFormatException(file, line, header[id], "the content id is empty", reader.FieldPosition(id));
            long? timestamp = row[time].Length == 0 ? null : timestamps.Parse(row[time], line, reader.FieldPosition(time));
            if (row[ev] != "CONTENT SHARED")
            {
                string reason = $"event type '{InteractionCsvLoader.Shorten(row[ev])}' (only CONTENT SHARED is kept)";
                rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
                continue;
            }
            if (!seen.Add(contentId))
            {
                rejected["content id shared again (first row kept)"] = rejected.GetValueOrDefault("content id shared again (first row kept)") + 1;
                continue;
            }
            articles.Add(new Article(contentId, row[ev], timestamp, row[title], row[text], row[lang].Trim(), url >= 0 ? row[url] : ""));
        }
        return (articles, new LoadReport(file, read, articles.Count, rejected));
    }
}
