namespace DeskdropML.Tests;

/// <summary>Finds the repository's data folders from the test binary's location.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding DeskdropML.sln).</summary>
    public static string RepositoryRoot { get; } = FindUp("DeskdropML.sln")
        ?? throw new InvalidOperationException($"DeskdropML.sln not found above {AppContext.BaseDirectory}");

    /// <summary>The shipped notebooks-data folder.</summary>
    public static string NotebooksData => Path.Combine(RepositoryRoot, "notebooks-data");

    /// <summary>The shared folder beside the repository (CI and development both place it at ../shared).</summary>
    public static string Shared
    {
        get
        {
            var dir = new DirectoryInfo(RepositoryRoot);
            for (var d = dir; d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "shared", "reference");
                if (Directory.Exists(candidate)) return Path.Combine(d.FullName, "shared");
            }
            throw new InvalidOperationException($"No shared/reference folder found above {RepositoryRoot}");
        }
    }

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
