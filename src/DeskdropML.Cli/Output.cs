using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary>
/// Where output goes: the machine-readable result on stdout (with --json), human tables and progress on
/// stderr (always), so a pipe into a JSON reader never sees progress text.
/// </summary>
internal sealed class Output
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public Output(bool json)
    {
        Json = json;
        Human = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        // Redirected stderr (logs, CI) would otherwise wrap tables at 80 columns.
        if (Console.IsErrorRedirected) Human.Profile.Width = 160;
    }

    public bool Json { get; }

    /// <summary>The stderr console for tables and progress.</summary>
    public IAnsiConsole Human { get; }

    /// <summary>Runs work under a status line on stderr.</summary>
    public T Status<T>(string what, Func<T> work)
    {
        Human.MarkupLine($"[grey]{Markup.Escape(what)}...[/]");
        return work();
    }

    /// <summary>Prints a JSON object on stdout when --json is on.</summary>
    public void WriteJson(JsonObject result)
    {
        if (Json) Console.Out.WriteLine(result.ToJsonString(JsonOptions));
    }
}
