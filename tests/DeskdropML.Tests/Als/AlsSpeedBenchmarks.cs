using Xunit.Abstractions;

namespace DeskdropML.Tests.Als;

/// <summary>
/// A fact that only runs when the environment variable <c>DESKDROP_BENCHMARK</c> is 1, so that ordinary test runs
/// skip the speed probes.
/// </summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    /// <summary>Skips unless DESKDROP_BENCHMARK=1.</summary>
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DESKDROP_BENCHMARK") != "1")
            Skip = "Speed probe: DESKDROP_BENCHMARK=1 dotnet test tests/DeskdropML.Tests -c Release --filter Category=Benchmark --logger \"console;verbosity=detailed\"";
    }
}

/// <summary>
/// Entry points of <see cref="AlsSpeedProbe"/>. Nothing is asserted about speed; the probes only check that they ran.
/// Run: <c>DESKDROP_BENCHMARK=1 dotnet test tests/DeskdropML.Tests -c Release --filter Category=Benchmark --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public class AlsSpeedBenchmarks(ITestOutputHelper output)
{
    [BenchmarkFact]
    public void DeskdropSizeRandomMatrix()
    {
        var m = AlsSpeedProbe.DeskdropSizeMatrix();
        AlsSpeedProbe.TimeIterations(m, factors: 64, iterations: 15, output.WriteLine);
    }

    [BenchmarkFact]
    public void Synthetic2m()
    {
        string path = Environment.GetEnvironmentVariable("DESKDROP_SYNTHETIC") ?? "/work/shared/data/synthetic/synthetic-2m.csv.gz";
        if (!File.Exists(path))
        {
            output.WriteLine($"{path} not found; set DESKDROP_SYNTHETIC");
            return;
        }
        var (train, kept, test) = AlsSpeedProbe.LoadSynthetic(path);
        output.WriteLine($"synthetic: users kept {kept}, train pairs {train.NonZeroCount}, test pairs {test}");
        Assert.True(train.NonZeroCount > 0);
        AlsSpeedProbe.TimeIterations(train, factors: 64, iterations: 5, output.WriteLine);
    }
}
