using System.Globalization;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;

namespace DeskdropML.TestLogger;

/// <summary>
/// Prints "[n] Passed|Failed|Skipped Class.Method (1.2 s)" for every finished test and a line per finished test
/// assembly with its counts, on the console of <c>dotnet test</c>.
/// </summary>
[FriendlyName("progress")]
[ExtensionUri("logger://DeskdropML/progress")]
public sealed class ProgressLogger : ITestLogger
{
    private int _finished;

    /// <inheritdoc />
    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        events.TestResult += (_, e) =>
        {
            int n = Interlocked.Increment(ref _finished);
            var r = e.Result;
            string seconds = r.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            Console.WriteLine($"  [{n}] {r.Outcome} {r.TestCase.FullyQualifiedName}{Arguments(r.TestCase)} ({seconds} s)");
        };
        events.TestRunComplete += (_, e) =>
        {
            var s = e.TestRunStatistics;
            long Count(TestOutcome o) => s?.Stats is { } stats && stats.TryGetValue(o, out long c) ? c : 0;
            Console.WriteLine($"  progress: {s?.ExecutedTests ?? 0} tests finished in {e.ElapsedTimeInRunningTests.TotalSeconds:0} s " +
                $"({Count(TestOutcome.Passed)} passed, {Count(TestOutcome.Failed)} failed, {Count(TestOutcome.Skipped)} skipped)");
        };
    }

    private static string Arguments(TestCase test)
    {
        // Theory rows show their display name's arguments; plain facts show nothing more.
        int open = test.DisplayName.IndexOf('(');
        return open >= 0 ? test.DisplayName[open..] : string.Empty;
    }
}
