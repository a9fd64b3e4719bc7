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
    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Output(bool json)
    {
        Json = json;
        // Decide interactivity from stderr itself (Spectre would look at stdout, which --json redirects).
        bool terminal = !Console.IsErrorRedirected;
        Human = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
        });
        // Redirected stderr (logs, CI) would otherwise wrap tables at 80 columns.
        if (Console.IsErrorRedirected) Human.Profile.Width = 160;
    }

    private Output(IAnsiConsole human)
    {
        Json = false;
        Human = human;
    }

    /// <summary>An output that shows nothing (per-fold fits inside a protocol run, which shows its own progress).</summary>
    public static Output Quiet() => new(AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(TextWriter.Null),
        Interactive = InteractionSupport.No,
        Ansi = AnsiSupport.No,
    }));

    public bool Json { get; }

    /// <summary>The stderr console for tables and progress.</summary>
    public IAnsiConsole Human { get; }

    /// <summary>Runs work under a status line on stderr.</summary>
    public T Status<T>(string what, Func<T> work)
    {
        Human.MarkupLine($"[grey]{Markup.Escape(what)}...[/]");
        return work();
    }

    /// <summary>
    /// Runs long work with a progress bar on stderr (a line per tenth of the work when stderr is not a terminal).
    /// The work receives a callback (units done, description).
    /// </summary>
    public T Progress<T>(string title, int total, Func<Action<int, string>, T> work)
    {
        if (!Console.IsErrorRedirected)
        {
            T result = default!;
            Human.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: total);
                    result = work((done, what) => task.Value = done);
                    task.Value = total; // the live display refreshes on a timer: show the finished state
                    ctx.Refresh();
                });
            return result;
        }
        Human.MarkupLine($"[grey]{Markup.Escape(title)}...[/]");
        int step = Math.Max(1, total / 10);
        return work((done, what) =>
        {
            if (total <= 30 || done % step == 0 || done == total) Human.MarkupLine($"[grey]  {done}/{total} {Markup.Escape(what)}[/]");
        });
    }

    /// <summary>Prints a JSON object on stdout when --json is on (numbers rounded as <see cref="JsonNumbers"/> says).</summary>
    /// <exception cref="IOException">Standard output cannot be written (a closed pipe, a full disk); the message says so.</exception>
    public void WriteJson(JsonObject result)
    {
        if (!Json) return;
        try
        {
            Console.Out.WriteLine(JsonNumbers.Round(result).ToJsonString(JsonOptions));
            Console.Out.Flush();
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write the JSON result to standard output: {ExitCodes.OneLine(e.Message)}", e);
        }
    }
}
