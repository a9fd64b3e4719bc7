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
    public static InteractionLog Load(string path, InteractionCsvOptions? options = null)
    {
        using var reader = new CsvRecordReader(path);
        return Load(reader, options);
    }

    /// <summary>Loads from an open reader (its name is used in errors).</summary>
    public static InteractionLog Load(CsvRecordReader reader, InteractionCsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new InteractionCsvOptions();
        options.Validate();
        try
        {
            return Read(reader, options);
        }
        catch (DataFormatException e) when (reader.IsCompressed)
        {
            var explained = reader.Explain(e);
            if (ReferenceEquals(explained, e)) throw;
            throw explained;
        }
    }

    private static InteractionLog Read(CsvRecordReader reader, InteractionCsvOptions options)
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
        var timestamps = new TimestampParser(options.TimeUnit, file, header[timeCol]);

        var users = new List<string>();
        var items = new List<string>();
        var times = new List<long>();
        var strengths = new List<float>();
        var rejected = new Dictionary<string, long>(StringComparer.Ordinal);
        long read = 0;
        // Ids repeat a lot: intern them per load so a large log keeps one string per distinct id.
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);

        IReadOnlyList<string>? row;
        while ((row = reader.ReadRecord()) is not null)
        {
            read++;
            long line = reader.RecordLine;
            if (row.Count != width)
                throw new DataFormatException(file, line, null, $"the row has {row.Count} fields but the header has {width}");

            string user = row[userCol];
            string item = row[itemCol];
            if (user.Length == 0) throw new DataFormatException(file, line, header[userCol], "the user id is empty", reader.FieldPosition(userCol));
            if (item.Length == 0) throw new DataFormatException(file, line, header[itemCol], "the item id is empty", reader.FieldPosition(itemCol));
            long time = timestamps.Parse(row[timeCol], line, reader.FieldPosition(timeCol));

            float strength = 1f;
            if (weightCol >= 0)
            {
                string text = row[weightCol];
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out strength) || !float.IsFinite(strength) || strength < 0)
                    throw new DataFormatException(file, line, header[weightCol], $"'{Shorten(text)}' is not a finite number >= 0", reader.FieldPosition(weightCol));
            }
            else if (eventCol >= 0)
            {
                string ev = row[eventCol];
                if (!options.EventStrengths.TryGetStrength(ev, out strength))
                {
                    if (options.UnknownEvents == UnknownEventPolicy.Skip)
                    {
                        string reason = $"unknown event type '{Shorten(ev)}' (skipped)";
                        rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
                        continue;
                    }
                    throw new DataFormatException(file, line, header[eventCol],
                        $"unknown event type '{Shorten(ev)}' (known: {string.Join(", ", options.EventStrengths.EventTypes)}; map it or skip unknown events)",
                        reader.FieldPosition(eventCol));
                }
            }

            users.Add(Intern(pool, user));
            items.Add(Intern(pool, item));
            times.Add(time);
            strengths.Add(strength);
        }

        var report = new LoadReport(file, read, users.Count, rejected);
        return new InteractionLog(users.ToArray(), items.ToArray(), times.ToArray(), strengths.ToArray(), report);
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

    private static string Intern(Dictionary<string, string> pool, string s)
    {
        if (pool.TryGetValue(s, out var existing)) return existing;
        pool[s] = s;
        return s;
    }

    internal static string Shorten(string s) => DataText.Show(s);
}
