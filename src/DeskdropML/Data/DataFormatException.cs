namespace DeskdropML.Data;

/// <summary>
/// Bad input data: names the file, the 1-based line number and column where known, and what is wrong.
/// The message is one line of the form <c>file:line: column 'name': problem</c>.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file that holds the bad data.</param>
    /// <param name="line">1-based physical line where the bad record starts, or 0 when the problem is the whole file.</param>
    /// <param name="column">The column (header name) concerned, or null.</param>
    /// <param name="problem">What is wrong, in words.</param>
    public DataFormatException(string file, long line, string? column, string problem)
        : base(Format(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file that holds the bad data.</summary>
    public string File { get; }

    /// <summary>1-based physical line number of the record, or 0 for a whole-file problem.</summary>
    public long Line { get; }

    /// <summary>The column concerned, or null.</summary>
    public string? Column { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Format(string file, long line, string? column, string problem)
    {
        var location = line > 0 ? $"{file}:{line}" : file;
        return column is null ? $"{location}: {problem}" : $"{location}: column '{column}': {problem}";
    }
}
