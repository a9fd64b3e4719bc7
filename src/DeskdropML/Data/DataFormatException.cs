namespace DeskdropML.Data;

/// <summary>
/// Bad input data: names the file, the 1-based line number and character position where known, the column, and
/// what is wrong. The message is one line of the form <c>file:line:position: column 'name': problem</c> (parts
/// that are not known are left out; a problem with the whole file, such as a truncated gzip stream, has line 0).
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file that holds the bad data.</param>
    /// <param name="line">1-based physical line where the bad record starts, or 0 when the problem is the whole file.</param>
    /// <param name="column">The column (header name) concerned, or null.</param>
    /// <param name="problem">What is wrong, in words.</param>
    /// <param name="position">1-based character position on the line where the bad field or byte starts, or 0 when unknown.</param>
    public DataFormatException(string file, long line, string? column, string problem, int position = 0)
        : base(Format(file, line, column, problem, position))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
        Position = position;
    }

    /// <summary>The file that holds the bad data.</summary>
    public string File { get; }

    /// <summary>1-based physical line number of the record, or 0 for a whole-file problem.</summary>
    public long Line { get; }

    /// <summary>The column concerned, or null.</summary>
    public string? Column { get; }

    /// <summary>1-based character position on <see cref="Line"/> where the problem starts, or 0 when unknown.</summary>
    public int Position { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Format(string file, long line, string? column, string problem, int position)
    {
        var location = line <= 0 ? file : position > 0 ? $"{file}:{line}:{position}" : $"{file}:{line}";
        return column is null ? $"{location}: {problem}" : $"{location}: column '{column}': {problem}";
    }
}
