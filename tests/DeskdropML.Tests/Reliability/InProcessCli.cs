using System.Text;
using DeskdropML.Cli;

namespace DeskdropML.Tests.Reliability;

/// <summary>
/// Runs <see cref="DeskdropCli.Run"/> inside the test process with standard output and error captured — much
/// cheaper than a process per case for the many bad-flag cases. The collection runs alone (the console and the
/// memory limit are process-wide).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessCliCollection
{
    public const string Name = "deskdrop in-process (console captured)";
}

internal static class InProcessCli
{
    private static readonly object Gate = new();

    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] args)
    {
        lock (Gate)
        {
            var stdout = new StringWriter(new StringBuilder());
            var stderr = new StringWriter(new StringBuilder());
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            string oldDirectory = Environment.CurrentDirectory;
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Environment.CurrentDirectory = TestPaths.RepositoryRoot;
            try
            {
                int code = DeskdropCli.Run(args);
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
                Environment.CurrentDirectory = oldDirectory;
            }
        }
    }

    /// <summary>The error lines (those the contract prints: "deskdrop: error: ...").</summary>
    public static string[] ErrorLines(string stderr) =>
        stderr.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("deskdrop: error:", StringComparison.Ordinal)).ToArray();

    /// <summary>Asserts the failure contract: the exit code, exactly one error line, no stack trace.</summary>
    public static string AssertOneLineError(int expectedCode, (int ExitCode, string StdOut, string StdErr) run)
    {
        Assert.True(run.ExitCode == expectedCode, $"exit {run.ExitCode}, expected {expectedCode}; stderr:\n{run.StdErr}");
        var lines = ErrorLines(run.StdErr);
        Assert.True(lines.Length == 1, $"expected one error line; stderr:\n{run.StdErr}");
        Assert.DoesNotContain("   at ", run.StdErr);
        Assert.DoesNotContain("Exception:", run.StdErr);
        return lines[0];
    }
}
