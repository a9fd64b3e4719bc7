using System.Diagnostics;

namespace DeskdropML.Tests;

/// <summary>Runs an executable test project (built with the test project, same configuration) in a fresh process.</summary>
internal static class HostProcess
{
    /// <summary>Runs <c>dotnet tests/PROJECT/bin/CONFIG/TFM/PROJECT.dll ARGS</c> and returns its exit code and output.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(string project, params string[] args)
    {
        string dll = Locate(project);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{project} did not finish within 180 s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate(string project)
    {
        // The test assembly lives in tests/DeskdropML.Tests/bin/<Configuration>/<tfm>/; the host in the same layout.
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = testDir.Name, configuration = testDir.Parent!.Name;
        string dll = Path.Combine(TestPaths.RepositoryRoot, "tests", project, "bin", configuration, tfm, project + ".dll");
        Assert.True(File.Exists(dll), $"{project} not built at {dll} (it is a build dependency of the test project).");
        return dll;
    }
}
