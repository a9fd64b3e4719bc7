using System.Globalization;

namespace DeskdropML.Data;

/// <summary>
/// Loads an interactions CSV (plain or gzip) into an <see cref="InteractionLog"/>, keeping file order.
/// </summary>
/// <remarks>
/// Every problem is a <see cref="DataFormatException"/> naming the file, the line, the character position and
/// the column: missing file, empty file, bytes that are not UTF-8, damaged gzip data (whole file), duplicate or
/// missing header names, a row with a different number of fields than the header, an empty id, a timestamp that
/// is neither an integer in the column's unit (<see cref="InteractionCsvOptions.TimeUnit"/>; a file mixing seconds
/// and milliseconds is an error) nor a standard ISO 8601 date-time, a weight that is not a finite number >= 0,
/// and an unknown event type (unless <see cref="UnknownEventPolicy.Skip"/>, which counts the skipped rows per
/// event type in the report). Nothing is dropped silently.
/// </remarks>
public static class InteractionCsvLoader
{
    /// <summary>Loads the file at <paramref name="path"/>.</summary>
    public static InteractionLog Load(string path, InteractionCsvOptions? options = null) => Load(path, options, progress: null);

    /// <summary>
    /// Loads the file at <paramref name="path"/>, calling <paramref name="progress"/> with the number of data rows
    /// read so far every 2^20 rows.
    /// </summary>
    public static InteractionLog Load(string path, InteractionCsvOptions? options, Action<long>? progress)
    {
        using var reader = new CsvRecordReader(path);
        return Load(reader, options, progress);
    }

    /// <summary>Loads from an open reader (its name is used in errors).</summary>
    public static InteractionLog Load(CsvRecordReader reader, InteractionCsvOptions? options = null) => Load(reader, options, progress: null);

    /// <summary>Loads from an open reader (its name is used in errors), reporting progress as <see cref="Load(string, InteractionCsvOptions?, Action{long}?)"/>.</summary>
    public static InteractionLog Load(CsvRecordReader reader, InteractionCsvOptions? options, Action<long>? progress)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new InteractionCsvOptions();
        options.Validate();
        try
        {
            return Read(reader, options, progress);
        }
        catch (DataFormatException e) when (reader.IsCompressed)
        {
            var explained = reader.Explain(e);
            if (ReferenceEquals(explained, e)) throw;
            throw explained;
        }
    }

    /// <summary>
    /// Streams the records: fields are spans over the reader's buffer, parsed in place; ids are interned by
    /// <see cref="InteractionLogBuilder"/>, so a row allocates nothing unless it brings a new id.
    /// </summary>
    private static InteractionLog Read(CsvRecordReader reader, InteractionCsvOptions options, Action<long>? progress)
    {
        string file = reader.FilePath;

        var header = reader.ReadRecord()?.ToArray()
            ?? throw new DataFormatException(file, 0, null, "the file is empty (no header row)");
        var columns = HeaderIndex(reader, header);
        int width = header.Length;
        int userCol = Require(file, columns, options.UserColumn, "user");
        int itemCol = Require(file, columns, options.ItemColumn, "item");
        int timeCol = Require(file, columns, options.TimeColumn, "timestamp");
        int weightCol = options.WeightColumn is null ? -1 : Require(file, columns, options.WeightColumn, "weight");
        int eventCol = options.EventColumn is null ? -1 : Require(file, columns, options.EventColumn, "event");
        int strengthCol = weightCol >= 0 ? weightCol : eventCol;
        var rows = new InteractionLogBuilder(file, options, header[userCol], header[itemCol], header[timeCol],
            strengthCol >= 0 ? header[strengthCol] : null, progress);

        while (reader.ReadFields())
        {
            rows.CountRead();
            long line = reader.RecordLine;
            if (reader.FieldCount != width)
                throw new DataFormatException(file, line, null, $"the row has {reader.FieldCount} fields but the header has {width}");

            var user = reader.Field(userCol);
            var item = reader.Field(itemCol);
            rows.CheckIds(user, reader.FieldPosition(userCol), item, reader.FieldPosition(itemCol), line);
            long time = rows.Timestamps.Parse(reader.Field(timeCol), line, reader.FieldPosition(timeCol));
            float? strength = strengthCol < 0 ? 1f : rows.Strength(reader.Field(strengthCol), line, reader.FieldPosition(strengthCol));
            if (strength is null) continue;
            rows.Add(user, item, time, strength.Value);
        }
        return rows.ToLog();
    }

    internal static Dictionary<string, int> HeaderIndex(CsvRecordReader reader, string[] header)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            string name = header[i].Trim();
            if (!index.TryAdd(name, i))
                throw new DataFormatException(reader.FilePath, reader.RecordLine, name,
                    $"the header names column '{name}' twice (fields {index[name] + 1} and {i + 1})", reader.FieldPosition(i));
        }
        return index;
    }

    internal static int Require(string file, Dictionary<string, int> columns, string name, string role)
    {
        if (columns.TryGetValue(name, out int i)) return i;
        throw new DataFormatException(file, 1, name,
            $"the {role} column is missing from the header (columns: {string.Join(", ", columns.Keys)})");
    }

    internal static string Shorten(string s) => DataText.Show(s);
}
