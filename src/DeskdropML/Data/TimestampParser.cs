using System.Globalization;

namespace DeskdropML.Data;

/// <summary>
/// Parses the timestamps of one file column into Unix seconds: integers in the column's unit (see
/// <see cref="TimestampUnit"/>) or ISO 8601 date-times in their standard extended forms, invariant of culture.
/// </summary>
/// <remarks>
/// <para>Accepted date-times: <c>YYYY-MM-DD</c> (midnight), optionally followed by <c>T</c> (or a space, as
/// RFC 3339 allows) and <c>hh:mm</c>, <c>hh:mm:ss</c> or <c>hh:mm:ss.fraction</c>, optionally followed by
/// <c>Z</c> or an offset <c>±hh:mm</c>, <c>±hhmm</c> or <c>±hh</c>. Without an offset the time is UTC. Every field
/// has its fixed number of digits, so <c>01-02-2016</c>, <c>1-2-3</c> and <c>2016-1-2</c> are rejected rather than
/// guessed. Fractions of a second are dropped (floor).</para>
/// <para>Every value must lie in the years 0001 to 9999, so that differences of two timestamps never overflow.</para>
/// </remarks>
internal sealed class TimestampParser(TimestampUnit unit, string file, string column)
{
    private readonly TimestampUnit _requested = unit;
    /// <summary>Smallest magnitude read as milliseconds by <see cref="TimestampUnit.Auto"/>.</summary>
    internal const long MillisecondThreshold = 100_000_000_000;

    /// <summary>0001-01-01T00:00:00Z in Unix seconds.</summary>
    internal const long MinSeconds = -62_135_596_800;

    /// <summary>9999-12-31T23:59:59Z in Unix seconds.</summary>
    internal const long MaxSeconds = 253_402_300_799;

    private TimestampUnit _fileUnit = unit;
    private long _unitLine;
    private string? _unitExample;

    /// <summary>Parses <paramref name="text"/> found at <paramref name="line"/> (1-based character column <paramref name="position"/>).</summary>
    public long Parse(ReadOnlySpan<char> text, long line, int position)
    {
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-') && IsInteger(text))
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw Bad(line, position, $"'{Short(text)}' is out of range for a timestamp");
            return FromInteger(value, text, line, position);
        }
        if (TryParseIso(text, out long iso)) return iso;
        throw Bad(line, position, $"'{Short(text)}' is not a timestamp (Unix seconds or milliseconds, or an ISO 8601 date-time such as 2016-10-03T18:32:10Z)");
    }

    /// <summary>An integer timestamp (a typed column of a Parquet file) in the column's unit, checked like a parsed one.</summary>
    public long FromInteger(long value, long line) => FromInteger(value, default, line, 0);

    /// <summary>Converts an integer to seconds; <paramref name="text"/> (empty for typed columns) is only used in messages.</summary>
    private long FromInteger(long value, ReadOnlySpan<char> text, long line, int position)
    {
        bool millis = value >= MillisecondThreshold || value <= -MillisecondThreshold;
        if (_requested == TimestampUnit.Auto)
        {
            var seen = millis ? TimestampUnit.Milliseconds : TimestampUnit.Seconds;
            if (_fileUnit == TimestampUnit.Auto)
            {
                _fileUnit = seen;
                _unitLine = line;
                _unitExample = Shown(value, text);
            }
            else if (seen != _fileUnit)
                throw Bad(line, position, $"{Short(Shown(value, text))} looks like Unix {Name(seen)} but the column is in {Name(_fileUnit)} " +
                    $"(line {_unitLine}: {Short(_unitExample!)}); a file must use one unit — give the unit explicitly (--time-unit s|ms) if this is intended");
        }
        long seconds = _fileUnit == TimestampUnit.Milliseconds ? Math.DivRem(value, 1000, out long rem) - (rem < 0 ? 1 : 0) : value;
        if (seconds is < MinSeconds or > MaxSeconds)
            throw Bad(line, position, $"{Short(Shown(value, text))} is outside the years 0001-9999 as Unix {Name(_fileUnit == TimestampUnit.Auto ? TimestampUnit.Seconds : _fileUnit)}");
        return seconds;
    }

    private static string Shown(long value, ReadOnlySpan<char> text) =>
        text.IsEmpty ? value.ToString(CultureInfo.InvariantCulture) : text.ToString();

    private DataFormatException Bad(long line, int position, string problem) => new(file, line, column, problem, position);

    private static string Name(TimestampUnit u) => u == TimestampUnit.Milliseconds ? "milliseconds" : "seconds";

    private static string Short(ReadOnlySpan<char> s) => DataText.Show(s.ToString());

    private static bool IsInteger(ReadOnlySpan<char> s)
    {
        int i = s[0] == '-' ? 1 : 0;
        if (i == s.Length) return false;
        for (; i < s.Length; i++) if (!char.IsAsciiDigit(s[i])) return false;
        return true;
    }

    /// <summary>Parses the ISO 8601 forms listed on the class into Unix seconds.</summary>
    internal static bool TryParseIso(ReadOnlySpan<char> s, out long unixSeconds)
    {
        unixSeconds = 0;
        int p = 0;
        if (!Digits(s, ref p, 4, out int year) || !Expect(s, ref p, '-') || !Digits(s, ref p, 2, out int month)
            || !Expect(s, ref p, '-') || !Digits(s, ref p, 2, out int day))
            return false;
        int hour = 0, minute = 0, second = 0, offsetMinutes = 0;
        if (p < s.Length && (s[p] == 'T' || s[p] == 't' || s[p] == ' '))
        {
            p++;
            if (!Digits(s, ref p, 2, out hour) || !Expect(s, ref p, ':') || !Digits(s, ref p, 2, out minute)) return false;
            if (p < s.Length && s[p] == ':')
            {
                p++;
                if (!Digits(s, ref p, 2, out second)) return false;
                if (p < s.Length && (s[p] == '.' || s[p] == ','))
                {
                    p++;
                    int start = p;
                    while (p < s.Length && char.IsAsciiDigit(s[p])) p++;
                    if (p == start) return false;
                }
            }
            if (p < s.Length)
            {
                char z = s[p];
                if (z == 'Z' || z == 'z') p++;
                else if (z == '+' || z == '-')
                {
                    p++;
                    if (!Digits(s, ref p, 2, out int oh)) return false;
                    int om = 0;
                    if (p < s.Length)
                    {
                        if (s[p] == ':') p++;
                        if (!Digits(s, ref p, 2, out om)) return false;
                    }
                    if (oh > 23 || om > 59) return false;
                    offsetMinutes = (z == '-' ? -1 : 1) * (oh * 60 + om);
                }
                else return false;
            }
        }
        if (p != s.Length) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        long local = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).ToUnixTimeSeconds();
        unixSeconds = local - offsetMinutes * 60L;
        return unixSeconds is >= MinSeconds and <= MaxSeconds;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int p, int count, out int value)
    {
        value = 0;
        if (p + count > s.Length) return false;
        for (int i = 0; i < count; i++)
        {
            char c = s[p + i];
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        p += count;
        return true;
    }

    private static bool Expect(ReadOnlySpan<char> s, ref int p, char c)
    {
        if (p < s.Length && s[p] == c) { p++; return true; }
        return false;
    }
}
