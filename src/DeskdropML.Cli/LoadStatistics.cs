using System.Diagnostics;

namespace DeskdropML.Cli;

/// <summary>
/// How loading went: wall time of reading the file and of building the matrices, and memory peaks. The managed peak
/// is <em>sampled</em> — the largest <see cref="GC.GetTotalMemory(bool)"/> (bytes of live and not yet collected managed
/// objects, without forcing a collection) seen at each progress report (every 2^20 rows) and after each stage — so the
/// true peak can be a little higher; the working-set peak is the operating system's (peak resident set size of the
/// process, native memory and runtime included).
/// </summary>
internal sealed class LoadStatistics
{
    private long _peakManaged;

    /// <summary>Seconds spent reading the file into the log.</summary>
    public double LoadSeconds { get; set; }

    /// <summary>Seconds spent building the train/test matrices.</summary>
    public double BuildSeconds { get; set; }

    /// <summary>Largest sampled managed heap size, bytes.</summary>
    public long PeakManagedBytes => _peakManaged;

    /// <summary>Peak working set (resident set) of the process so far, bytes.</summary>
    public static long PeakWorkingSetBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>Records the current managed heap size when it is a new peak.</summary>
    public void Sample() => _peakManaged = Math.Max(_peakManaged, GC.GetTotalMemory(forceFullCollection: false));
}
