using DeskdropML.Persistence;

namespace DeskdropML.Cli;

/// <summary>
/// Checks, before any work starts, that the files a command will write can be written: the folder exists and accepts
/// a new file, the target is not a folder, device or read-only file, and it is none of the command's input files.
/// A failure here costs nothing; the same failure after a long fit would waste it.
/// </summary>
internal static class OutputPaths
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Checks the output file <paramref name="path"/> given with <paramref name="flag"/>.</summary>
    /// <exception cref="CliUsageException">The path names a folder, device or input file, or its folder does not exist (exit 2).</exception>
    /// <exception cref="IOException">The folder or the file is not writable (exit 1).</exception>
    public static void CheckFile(string flag, string path, IEnumerable<string> inputs)
    {
        string target = AtomicFile.ResolveTarget(path);
        foreach (var input in inputs)
            if (SameFile(target, input))
                throw new CliUsageException($"{flag}: '{path}' is an input of this command ({input}); writing it would destroy the input — choose another path");
        if (Directory.Exists(target))
            throw new CliUsageException($"{flag}: '{path}' is a folder; give a file path (for example {Path.Combine(path, "model.zip")})");
        string folder = Path.GetDirectoryName(target) ?? target;
        if (!Directory.Exists(folder))
            throw new CliUsageException($"{flag}: the folder '{folder}' does not exist");
        string? problem = AtomicFile.ProblemWithTarget(target);
        if (problem is "it is read-only")
            throw new IOException($"cannot write '{path}' ({flag}): {problem}");
        if (problem is not null)
            throw new CliUsageException($"{flag}: cannot write '{path}': {problem}");
        ProbeFolder(flag, folder);
    }

    /// <summary>
    /// Checks the output folder <paramref name="path"/> given with <paramref name="flag"/>, creating it when it does not
    /// exist (its parent must exist).
    /// </summary>
    public static void CheckFolder(string flag, string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new CliUsageException($"{flag}: '{path}' is a file, not a folder");
        if (!Directory.Exists(full))
        {
            string? parent = Path.GetDirectoryName(full);
            if (parent is not null && !Directory.Exists(parent))
                throw new CliUsageException($"{flag}: the folder '{parent}' does not exist");
            try { Directory.CreateDirectory(full); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot create the folder '{path}' ({flag}): {ExitCodes.OneLine(e.Message)}", e);
            }
        }
        ProbeFolder(flag, full);
    }

    /// <summary>True when the two paths name the same file (after following symbolic links).</summary>
    public static bool SameFile(string a, string b) =>
        string.Equals(AtomicFile.ResolveTarget(a), AtomicFile.ResolveTarget(b), PathComparison);

    /// <summary>Creates and deletes a file in <paramref name="folder"/> to prove it accepts new files.</summary>
    private static void ProbeFolder(string flag, string folder)
    {
        string probe = Path.Combine(folder, $".deskdrop-write-check.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write to the folder '{folder}' ({flag}): {ExitCodes.OneLine(e.Message)}", e);
        }
    }
}
