using System.CommandLine;
using DeskdropML.Data;

namespace DeskdropML.Cli;

/// <summary>Entry point: builds the command tree and maps failures to exit codes (0 ok, 2 bad input, 1 bug).</summary>
public static class DeskdropCli
{
    /// <summary>Runs the tool with the given arguments and returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("deskdrop — implicit-feedback recommenders on the CI&T Deskdrop data (DeskdropML).");
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(RecommendCommand.Create());
        root.Subcommands.Add(TuneCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            Console.Error.WriteLine($"deskdrop: error: {parsed.Errors[0].Message} (see 'deskdrop --help')");
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            Console.Error.WriteLine($"deskdrop: error: {OneLine(ex.Message)}");
            return 2;
        }
    }

    private static bool IsBadInput(Exception ex) =>
        ex is CliUsageException or DataFormatException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
