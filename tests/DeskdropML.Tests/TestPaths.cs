namespace DeskdropML.Tests;

/// <summary>Finds the repository's data folders from the test binary's location.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding DeskdropML.sln).</summary>
    public static string RepositoryRoot { get; } = FindUp("DeskdropML.sln")
        ?? throw new InvalidOperationException($"DeskdropML.sln not found above {AppContext.BaseDirectory}");

    /// <summary>The shipped notebooks-data folder.</summary>
    public static string NotebooksData => Path.Combine(RepositoryRoot, "notebooks-data");

    /// <summary>Small reference files the tests read (tests/DeskdropML.Tests/TestData).</summary>
    public static string TestData => Path.Combine(RepositoryRoot, "tests", "DeskdropML.Tests", "TestData");

    /// <summary>Name of the environment variable that points at the seeded synthetic-2m log (not in the repository).</summary>
    public const string SyntheticVariable = "DESKDROP_SYNTHETIC";

    /// <summary>
    /// The synthetic-2m interaction log named by <see cref="SyntheticVariable"/>, or null when the variable is unset
    /// or names no file; tests that need it are skipped then, saying how to provide it.
    /// </summary>
    public static string? SyntheticLog =>
        Environment.GetEnvironmentVariable(SyntheticVariable) is { Length: > 0 } path && File.Exists(path) ? path : null;

    /// <summary>The skip message of a test that needs <see cref="SyntheticLog"/>.</summary>
    public static string SyntheticMissing =>
        $"needs the synthetic-2m log: set {SyntheticVariable} to synthetic-2m.csv.gz (currently '{Environment.GetEnvironmentVariable(SyntheticVariable)}')";

    /// <summary>A fresh temporary folder for one test.</summary>
    public static string NewTempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "deskdropml-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string? FindUp(string fileName)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, fileName))) return d.FullName;
        return null;
    }
}
