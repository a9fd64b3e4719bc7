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
                AtomicFile.AbandonPending();
                try { Console.Error.WriteLine($"deskdrop: {what}; files being written were discarded, existing files are unchanged"); }
                catch (IOException) { }
                Environment.Exit(code);
            }));
        }
        catch (PlatformNotSupportedException) { }
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
