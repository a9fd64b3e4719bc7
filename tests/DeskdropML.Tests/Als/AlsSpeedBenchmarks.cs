using DeskdropML.Trainers.Als;
using Xunit.Abstractions;

namespace DeskdropML.Tests.Als;

/// <summary>
/// Entry points of <see cref="AlsSpeedProbe"/>. Nothing is asserted about speed. The project's default.runsettings
/// leaves Category=Benchmark out of ordinary runs; run them with
/// <c>dotnet test tests/DeskdropML.Tests -c Release --settings tests/DeskdropML.Tests/benchmarks.runsettings --filter "FullyQualifiedName~AlsSpeed" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public class AlsSpeedBenchmarks(ITestOutputHelper output)
{
    /// <summary>Factors to time: DESKDROP_ALS_FACTORS (e.g. 32, 64, 128), default 64.</summary>
    private static int Factors => int.TryParse(Environment.GetEnvironmentVariable("DESKDROP_ALS_FACTORS"), out int f) && f > 0 ? f : 64;

    [Fact]
    public void DeskdropSizeRandomMatrix()
    {
        var m = AlsSpeedProbe.DeskdropSizeMatrix();
        AlsSpeedProbe.TimeIterations(m, factors: Factors, iterations: 15, output.WriteLine);
    }

    [SkippableFact]
    public void Synthetic2m()
    {
        string? path = TestPaths.SyntheticLog;
        Skip.If(path is null, TestPaths.SyntheticMissing);
        var (train, kept, test) = AlsSpeedProbe.LoadSynthetic(path!);
        output.WriteLine($"synthetic: users kept {kept}, train pairs {train.NonZeroCount}, test pairs {test}");
        Assert.True(train.NonZeroCount > 0);
        AlsSpeedProbe.TimeIterations(train, factors: Factors, iterations: 3, output.WriteLine);
    }

    [Fact]
    public void Kernels()
    {
        const int k = 64, rows = 25, reps = 100;
        var random = new Random(1);
        var vectors = new float[rows * k];
        for (int i = 0; i < vectors.Length; i++) vectors[i] = (float)random.NextDouble() - 0.5f;
        var weights = new float[rows];
        Array.Fill(weights, 1f);
        var spd = new float[k * k];
        AlsKernels.AddOuterUpperMany(vectors, weights, spd, k);
        for (int d = 0; d < k; d++) spd[d * k + d] += 1f;
        var work = new float[k * k];
        var x = new float[k];
        var y = new float[k];
        var inv = new float[k];
        double Time(Action body)
        {
            double best = double.MaxValue;
            for (int round = 0; round < 200; round++)
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                for (int r = 0; r < reps; r++) body();
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds * 1000 / reps);
            }
            return best;
        }
        output.WriteLine($"copy k*k:            {Time(() => spd.AsSpan().CopyTo(work)):F2} us");
        output.WriteLine($"outer upper x{rows}:     {Time(() => { spd.AsSpan().CopyTo(work); AlsKernels.AddOuterUpperMany(vectors, weights, work, k); }):F2} us");
        output.WriteLine($"copy + cholesky:     {Time(() => { spd.AsSpan().CopyTo(work); AlsKernels.CholeskyUpper(work, k, inv); }):F2} us");
        output.WriteLine($"solve:               {Time(() => { vectors.AsSpan(0, k).CopyTo(x); AlsKernels.CholeskySolveUpper(work, inv, k, x, y); }):F2} us");
        output.WriteLine($"matvec:              {Time(() => AlsKernels.SymmetricMatVec(spd, vectors.AsSpan(0, k), x)):F2} us");
        Assert.False(float.IsNaN(x[0]));
    }
}
