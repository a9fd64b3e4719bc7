using DeskdropML.Data;

namespace DeskdropML.Benchmarks;

/// <summary>Locates and caches the benchmark data sets.</summary>
public static class BenchmarkData
{
    private static DeskdropBenchmark? _deskdrop;
    private static SyntheticLog? _synthetic;

    /// <summary>The notebooks-data folder: DESKDROP_DATA, or the first notebooks-data found walking up from here.</summary>
    public static string DeskdropDirectory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("DESKDROP_DATA");
            if (!string.IsNullOrEmpty(env)) return env;
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, "notebooks-data");
                    if (Directory.Exists(candidate)) return candidate;
                }
            }
            throw new DirectoryNotFoundException("notebooks-data not found above the working directory (run from the repository or set DESKDROP_DATA)");
        }
    }

    public static DeskdropBenchmark Deskdrop => _deskdrop ??= DeskdropBenchmark.Load(DeskdropDirectory, DeskdropBenchmarkKind.Deskdrop);

    public static SyntheticLog Synthetic => _synthetic ??= SyntheticLog.Load(SyntheticLog.DefaultPath);
}
