using System.Text.Json.Nodes;
using DeskdropML.Cli.Reporting;
using DeskdropML.Data;

namespace DeskdropML.Cli.Reproduce;

/// <summary>Shared state of one <c>reproduce</c> run: the loaded benchmarks, settings, collected results.</summary>
internal sealed class ReproduceContext(string dataDirectory, string outputDirectory, bool quick, int seed, int threads, Output output)
{
    private readonly Dictionary<DeskdropBenchmarkKind, DeskdropBenchmark> _benchmarks = new();

    public string DataDirectory { get; } = dataDirectory;
    public string OutputDirectory { get; } = outputDirectory;
    public bool Quick { get; } = quick;
    public int Seed { get; } = seed;
    public int Threads { get; } = threads;
    public Output Output { get; } = output;
    public JsonObject Tasks { get; } = new();
    public ReportData Report { get; } = new();

    /// <summary>Seeds used for averaged results: 1..3 (1 seed with --quick).</summary>
    public IReadOnlyList<int> Seeds => Quick ? new[] { Seed } : new[] { Seed, Seed + 1, Seed + 2 };

    /// <summary>The best model on <c>deskdrop</c> by test NDCG@10 so far (for the metric cross-check).</summary>
    public (string Model, double Ndcg, DeskdropML.Recommending.IRecommenderModel Scorer)? BestOnDeskdrop { get; private set; }

    /// <summary>Offers a fitted model as the best on deskdrop.</summary>
    public void Candidate(string model, DeskdropBenchmarkKind kind, double ndcg, DeskdropML.Recommending.IRecommenderModel scorer)
    {
        if (kind == DeskdropBenchmarkKind.Deskdrop && (BestOnDeskdrop is null || ndcg > BestOnDeskdrop.Value.Ndcg))
            BestOnDeskdrop = (model, ndcg, scorer);
    }

    /// <summary>Loads a benchmark once per run.</summary>
    public DeskdropBenchmark Benchmark(DeskdropBenchmarkKind kind)
    {
        if (!_benchmarks.TryGetValue(kind, out var b))
        {
            b = DeskdropBenchmark.Load(DataDirectory, kind);
            _benchmarks[kind] = b;
        }
        return b;
    }
}
