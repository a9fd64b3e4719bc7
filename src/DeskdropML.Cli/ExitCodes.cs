using System.CommandLine;
using System.Runtime.CompilerServices;
using DeskdropML.Data;
using DeskdropML.Memory;

[assembly: InternalsVisibleTo("DeskdropML.Tests")]

namespace DeskdropML.Cli;

/// <summary>
/// The one exit-code contract of the tool: 0 success; 2 bad input (a bad flag, named as typed, or a bad file,
/// named as file:line:position); 1 an environment or I/O failure (what failed and the path) or an unexpected error;
/// 130/143/129 when interrupted by SIGINT/SIGTERM/SIGHUP. Every failure is one line on stderr; the stack trace
/// only with <c>--verbose</c>.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    /// <summary>The exit code and the one-line message for an exception that reached the top of the tool.</summary>
    public static (int Code, string Message) Classify(Exception ex)
    {
        switch (ex)
        {
            case CliUsageException or DataFormatException:
                return (BadInput, OneLine(ex.Message));
            case MemoryBudgetException m:
                return (BadInput, $"{FlagNames.Rewrite(m.ParamName, OneLine(m.Problem))} — lower it, or raise --memory-limit if the estimate is too cautious");
            case ArgumentOutOfRangeException a:
                return (BadInput, FlagNames.Rewrite(a.ParamName, FirstLine(a.Message)));
            case ArgumentException a:
                return (BadInput, FirstLine(a.Message));
            case FileNotFoundException or DirectoryNotFoundException:
                return (BadInput, OneLine(ex.Message));
            case InvalidDataException:
                return (BadInput, OneLine(ex.Message));
            case InvalidOperationException io when FlagNames.Mentions(io.Message):
                // A fit that failed because of its settings (a singular ALS system without regularization, a diverged
                // WARP run): the library names the option, the user sees the flag.
                return (BadInput, FlagNames.RewriteAll(FirstLine(io.Message)));
            case OperationCanceledException:
                return (Failure, "cancelled");
            case UnauthorizedAccessException:
                return (Failure, $"permission denied: {OneLine(ex.Message)}");
            case IOException:
                return (Failure, $"I/O error: {OneLine(ex.Message)}");
            case OutOfMemoryException:
                return (Failure, "out of memory: the machine could not provide the memory this run needs (lower the model size flags or the data size; --verbose shows where)");
            default:
                return (Failure, $"unexpected {ex.GetType().Name}: {FirstLine(ex.Message)} — this is a bug; rerun with --verbose for the stack trace and report it");
        }
    }

    private static readonly System.Text.RegularExpressions.Regex CannotParse =
        new(@"^Cannot parse argument '(?<value>.*)' for option '(?<flag>[^']+)' as expected type '(?<type>[^']+)'\.?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>A command-line parse error in words: "--k: 'NaN' is not a whole number" rather than a .NET type name.</summary>
    public static string ParseError(string message)
    {
        var m = CannotParse.Match(OneLine(message));
        if (!m.Success) return OneLine(message);
        string type = m.Groups["type"].Value;
        string expected = type.Contains("Int32", StringComparison.Ordinal) ? $"a whole number in [{int.MinValue}, {int.MaxValue}]"
            : type.Contains("Int64", StringComparison.Ordinal) ? $"a whole number in [{long.MinValue}, {long.MaxValue}]"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : "a valid value";
        return $"{m.Groups["flag"].Value}: '{m.Groups["value"].Value}' is not {expected}";
    }

    /// <summary>The message without line breaks.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>The first line of an exception message without ArgumentException's "(Parameter 'x')" suffix.</summary>
    private static string FirstLine(string message)
    {
        string first = message.Split('\n')[0].TrimEnd('\r');
        int p = first.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return (p > 0 ? first[..p] : first).Trim();
    }
}

/// <summary>Maps option names of the library (as in exception parameter names) to the flags the user typed.</summary>
internal static class FlagNames
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["NumberOfComponents"] = "--components",
        ["NumberOfFactors"] = "--factors",
        ["LatentDimension"] = "--factors",
        ["NumberOfEpochs"] = "--epochs",
        ["NumberOfIterations"] = "--iterations",
        ["LearningRate"] = "--learning-rate",
        ["MaxSampled"] = "--max-sampled",
        ["UserAlpha"] = "--user-alpha",
        ["ItemAlpha"] = "--item-alpha",
        ["Regularization"] = "--regularization",
        ["Alpha"] = "--alpha",
        ["ConjugateGradientSteps"] = "--cg-steps",
        ["NegativesPerPositive"] = "--negatives",
        ["NumberOfThreads"] = "--threads",
        ["MinItemsPerUser"] = "--min-items",
        ["TestFraction"] = "--test-fraction",
        ["SplitTime"] = "--split-time",
        ["halfLifeSeconds"] = "--recency-half-life-days",
        ["Trials"] = "--trials",
        ["ValidationFraction"] = "--validation-fraction",
        ["NumberOfNeighbors"] = "--neighbors",
        ["Bm25K1"] = "--bm25-k1",
        ["Bm25B"] = "--bm25-b",
        ["L2"] = "--ease-lambda",
        ["MaxItems"] = "--ease-max-items",
        ["PowerIterations"] = "--iterations",
    };

    /// <summary>The flag for a library option name, or null.</summary>
    public static string? For(string? optionName) => optionName is not null && Flags.TryGetValue(optionName, out var f) ? f : null;

    /// <summary>The message with the option's name replaced by its flag (prefixed with the flag when the name does not occur).</summary>
    public static string Rewrite(string? optionName, string message)
    {
        string? flag = For(optionName);
        if (flag is null) return message;
        var word = Word(optionName!);
        return word.IsMatch(message) ? word.Replace(message, flag) : $"{flag}: {message}";
    }

    /// <summary>True when the message names one of the options that have a flag (as a whole word).</summary>
    public static bool Mentions(string message) => Flags.Keys.Any(name => Word(name).IsMatch(message));

    /// <summary>The message with every option name that has a flag replaced by the flag.</summary>
    public static string RewriteAll(string message)
    {
        foreach (var (name, flag) in Flags) message = Word(name).Replace(message, flag);
        return message;
    }

    private static System.Text.RegularExpressions.Regex Word(string name) =>
        new($@"(?<![\w-]){System.Text.RegularExpressions.Regex.Escape(name)}(?![\w-])", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
