using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace DeskdropML.Persistence;

/// <summary>
/// Writes files all-or-nothing: the content goes to a new temporary file in the target's folder, is flushed to
/// the disk, and only then renamed over the target. A reader, a crash, a kill or a full disk never leaves a
/// partial target: the target is either the old file, untouched, or the new file, complete.
/// </summary>
/// <remarks>
/// <para>The temporary file is named <c>.NAME.PID.RANDOM.tmp</c> beside the target (the rename is atomic only
/// within one file system) and is deleted when the write fails or is abandoned (<see cref="AbandonPending"/>, used
/// on Ctrl-C). Only an uncatchable kill (SIGKILL, power loss) can leave one behind; it never replaces the target.
/// Concurrent writers of one target each write their own temporary file; the last rename wins and the target is
/// always one complete file.</para>
/// <para>A symbolic link as target is followed (the file it points to is replaced). A target that exists and is
/// not a regular file (a folder, a device such as <c>/dev/full</c>, a pipe) is refused: renaming over it would
/// destroy it. An existing target keeps its Unix permissions.</para>
/// </remarks>
public static partial class AtomicFile
{
    private static readonly ConcurrentDictionary<string, byte> Pending = new(StringComparer.Ordinal);
    private static volatile bool _abandoned;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the content to a readable, writable, seekable stream positioned at 0.</param>
    /// <exception cref="IOException">The target is not a regular file, its folder does not exist, or writing failed
    /// (the message names the path); the target is unchanged.</exception>
    /// <exception cref="OperationCanceledException"><see cref="AbandonPending"/> was called; the target is unchanged.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string target = ResolveTarget(path);
        string folder = Path.GetDirectoryName(target) ?? throw new IOException($"'{path}' has no parent folder.");
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist.");
        string? problem = ProblemWithTarget(target);
        if (problem is not null) throw new IOException($"Cannot write '{path}': {problem}.");
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
        Pending[temp] = 0;
        try
        {
            ThrowIfAbandoned();
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && File.Exists(target))
                File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
            ThrowIfAbandoned();
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            Pending.TryRemove(temp, out _);
        }
    }

    /// <summary>Writes <paramref name="contents"/> as UTF-8 (no byte-order mark), atomically.</summary>
    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        WriteAllBytes(path, new UTF8Encoding(false).GetBytes(contents));
    }

    /// <summary>Writes <paramref name="bytes"/>, atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// Deletes the temporary files of writes still in progress in this process (their targets stay untouched) and makes
    /// every later <see cref="Write"/> in this process fail with <see cref="OperationCanceledException"/> before it
    /// renames anything. Meant for cancellation (Ctrl-C) just before the process exits.
    /// </summary>
    public static void AbandonPending()
    {
        _abandoned = true;
        foreach (var temp in Pending.Keys) TryDelete(temp);
    }

    private static void ThrowIfAbandoned()
    {
        if (_abandoned) throw new OperationCanceledException("The write was abandoned (the process is being cancelled).");
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be the target of a write, or null when it can: it is a folder, or it exists
    /// and is not a regular file (device, pipe, socket), or it is read-only. Does not check the folder.
    /// </summary>
    public static string? ProblemWithTarget(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string target = ResolveTarget(path);
        if (Directory.Exists(target)) return "it is a folder";
        if (!File.Exists(target)) return null;
        if (!IsRegularFile(target)) return "it is not a regular file (a device, pipe or socket)";
        if ((File.GetAttributes(target) & FileAttributes.ReadOnly) != 0) return "it is read-only";
        return null;
    }

    /// <summary>The full path a write to <paramref name="path"/> replaces: symbolic links followed to their final target.</summary>
    public static string ResolveTarget(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } final)
                return Path.GetFullPath(final.FullName);
        }
        catch (IOException) { } // a link loop: leave it to the write to fail
        return full;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>True unless the file is known to be something other than a regular file (Linux: statx; elsewhere /dev/ paths).</summary>
    private static bool IsRegularFile(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                Span<byte> buffer = stackalloc byte[256];
                if (StatxType(path, buffer) is int mode) return (mode & 0xF000) == 0x8000;
            }
            catch (EntryPointNotFoundException) { }
            catch (DllNotFoundException) { }
        }
        return OperatingSystem.IsWindows() || !path.StartsWith("/dev/", StringComparison.Ordinal);
    }

    private static unsafe int? StatxType(string path, Span<byte> buffer)
    {
        const int AtFdCwd = -100;
        const uint StatxTypeMask = 0x1;
        fixed (byte* b = buffer)
        {
            if (Statx(AtFdCwd, path, 0, StatxTypeMask, b) != 0) return null;
            return *(ushort*)(b + 28); // struct statx: stx_mode at byte 28 on every architecture
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
