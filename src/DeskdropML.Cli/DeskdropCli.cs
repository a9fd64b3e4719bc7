using System.CommandLine;
using DeskdropML.Memory;

namespace DeskdropML.Cli;

/// <summary>
/// Entry point: builds the command tree and enforces the exit-code contract of <see cref="ExitCodes"/> (0 ok,
/// 2 bad input or flag, 1 environment failure or unexpected error; one line on stderr, the stack trace only with
/// <c>--verbose</c>; Ctrl-C ends promptly without leaving a partial file).
/// </summary>
public static class DeskdropCli
{
    /// <summary>Runs the tool with the given arguments and returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var verbose = new Option<bool>("--verbose") { Description = "On an error, also print the exception and its stack trace", Recursive = true };
        var memoryLimit = new Option<string?>("--memory-limit")
        {
            Description = "Refuse models estimated to need more memory than this (e.g. 4G, 512M; default: the memory available now)",
            Recursive = true,
        };
        var root = new RootCommand("deskdrop — implicit-feedback recommenders on the CI&T Deskdrop data (DeskdropML).");
        root.Options.Add(verbose);
        root.Options.Add(memoryLimit);
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(RecommendCommand.Create());
        root.Subcommands.Add(TuneCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
            return Report(ExitCodes.BadInput, $"{ExitCodes.ParseError(parsed.Errors[0].Message)} (see 'deskdrop --help')", null);

        bool showStack = parsed.GetValue(verbose);
        using var signals = new CancelOnSignal();
        long? previousLimit = MemoryBudget.LimitBytes;
        try
        {
            if (parsed.GetValue(memoryLimit) is string limit)
                MemoryBudget.LimitBytes = MemoryBudget.TryParseSize(limit, out long bytes)
                    ? bytes
                    : throw new CliUsageException($"--memory-limit must be a size such as 4G, 512M or a number of bytes (got '{limit}')");
            int code = parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
            return signals.ExitCode is int interrupted ? signals.AwaitExit(interrupted) : code;
        }
        catch (Exception) when (signals.ExitCode is int interrupted)
        {
            // The signal handler abandoned the work (and is ending the process): this failure is its consequence.
            return signals.AwaitExit(interrupted);
        }
        catch (Exception ex)
        {
            var (code, message) = ExitCodes.Classify(ex);
            return Report(code, message, showStack ? ex : null);
        }
        finally
        {
            MemoryBudget.LimitBytes = previousLimit;
        }
    }

    /// <summary>Prints the one-line error (and with --verbose the exception) on stderr; returns the exit code.</summary>
    private static int Report(int code, string message, Exception? verbose)
    {
        try
        {
            Console.Error.WriteLine($"deskdrop: error: {message}");
            if (verbose is not null) Console.Error.WriteLine(verbose.ToString());
        }
        catch (IOException) { } // stderr itself is unwritable: the exit code still tells
        return code;
    }
}
