using System.Text;
using DeskdropML.Persistence;

namespace DeskdropML.Tests.Reliability;

/// <summary>Writes are all-or-nothing: a failure leaves the old file and no temporary file behind.</summary>
public class AtomicFileTests
{
    private static string[] Leftovers(string folder) => Directory.GetFiles(folder, "*.tmp").Select(Path.GetFileName).ToArray()!;

    [Fact]
    public void A_write_replaces_the_file_and_keeps_its_permissions()
    {
        string folder = TestPaths.NewTempDirectory();
        string path = Path.Combine(folder, "out.json");
        AtomicFile.WriteAllText(path, "old");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        AtomicFile.WriteAllText(path, "new ü");
        Assert.Equal("new ü", File.ReadAllText(path, Encoding.UTF8));
        Assert.Equal(Encoding.UTF8.GetBytes("new ü"), File.ReadAllBytes(path)); // no byte-order mark
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Empty(Leftovers(folder));
    }

    [Fact]
    public void A_failing_write_leaves_the_old_file_untouched_and_no_temporary_file()
    {
        string folder = TestPaths.NewTempDirectory();
        string path = Path.Combine(folder, "model.zip");
        File.WriteAllText(path, "old model");
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100_000]);
            throw new InvalidOperationException("disk vanished");
        }));
        Assert.Equal("disk vanished", e.Message);
        Assert.Equal("old model", File.ReadAllText(path));
        Assert.Empty(Leftovers(folder));
    }

    [Fact]
    public void Folders_devices_and_read_only_files_are_refused()
    {
        string folder = TestPaths.NewTempDirectory();
        Assert.Contains("folder", Assert.Throws<IOException>(() => AtomicFile.WriteAllText(folder, "x")).Message);
        string readOnly = Path.Combine(folder, "ro.txt");
        File.WriteAllText(readOnly, "keep");
        File.SetAttributes(readOnly, FileAttributes.ReadOnly);
        Assert.Contains("read-only", Assert.Throws<IOException>(() => AtomicFile.WriteAllText(readOnly, "x")).Message);
        Assert.Equal("keep", File.ReadAllText(readOnly));
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(Path.Combine(folder, "no", "x.txt"), "x"));
        if (OperatingSystem.IsLinux() && File.Exists("/dev/full"))
        {
            Assert.Contains("not a regular file", Assert.Throws<IOException>(() => AtomicFile.WriteAllText("/dev/full", "x")).Message);
            Assert.True(File.Exists("/dev/full"));
        }
        Assert.Empty(Leftovers(folder));
    }

    [Fact]
    public void A_symbolic_link_stays_a_link_and_its_target_is_replaced()
    {
        if (OperatingSystem.IsWindows()) return;
        string folder = TestPaths.NewTempDirectory();
        string target = Path.Combine(folder, "real.json");
        string link = Path.Combine(folder, "link.json");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        AtomicFile.WriteAllText(link, "new");
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public void Concurrent_writers_of_one_file_leave_one_complete_version()
    {
        string folder = TestPaths.NewTempDirectory();
        string path = Path.Combine(folder, "race.bin");
        var versions = Enumerable.Range(1, 8).Select(v => Enumerable.Repeat((byte)v, 300_000 + v).ToArray()).ToArray();
        Parallel.ForEach(versions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, bytes => AtomicFile.WriteAllBytes(path, bytes));
        byte[] result = File.ReadAllBytes(path);
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(result));
        Assert.Empty(Leftovers(folder));
    }
}
