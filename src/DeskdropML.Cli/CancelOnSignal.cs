using System.Runtime.InteropServices;
using DeskdropML.Persistence;

namespace DeskdropML.Cli;

/// <summary>
/// Ctrl-C (SIGINT), SIGTERM and SIGHUP end the tool promptly: the temporary files of writes in progress are
/// deleted (targets stay as they were, see <see cref="AtomicFile"/>), one line goes to stderr, and the process
/// exits with 128 + the signal number (130, 143, 129).
/// </summary>
internal sealed class CancelOnSignal : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = new();
    private int _exitCode;
    private readonly ManualResetEventSlim _reported = new();

    /// <summary>
    /// The exit code of the signal received, or null. Once set, the tool exits with it whatever the main thread was
    /// doing (a write it was finishing may have been abandoned: that is not an error to report).
    /// </summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is int c && c != 0 ? c : null;

    public CancelOnSignal()
    {
        Register(PosixSignal.SIGINT, 130, "interrupted (SIGINT)");
        Register(PosixSignal.SIGTERM, 143, "terminated (SIGTERM)");
        if (!OperatingSystem.IsWindows()) Register(PosixSignal.SIGHUP, 129, "hung up (SIGHUP)");
    }

    private void Register(PosixSignal signal, int code, string what)
    {
        try
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                if (Interlocked.CompareExchange(ref _exitCode, code, 0) != 0) return; // already stopping
                AtomicFile.AbandonPending();
                try { Console.Error.WriteLine($"deskdrop: {what}; files being written were discarded, existing files are unchanged"); }
                catch (IOException) { }
                _reported.Set();
                Environment.Exit(code);
            }));
        }
        catch (PlatformNotSupportedException) { }
    }

    /// <summary>After a signal: waits (at most 5 s) until the handler has said so on stderr, and returns its exit code.</summary>
    public int AwaitExit(int code)
    {
        _reported.Wait(TimeSpan.FromSeconds(5));
        return code;
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _reported.Dispose();
    }
}
