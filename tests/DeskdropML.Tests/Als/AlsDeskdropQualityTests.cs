using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Trainers.Als;
using Xunit.Abstractions;

namespace DeskdropML.Tests.Als;

/// <summary>
/// ALS on the real <c>deskdrop</c> benchmark (64 factors, lambda 0.01, alpha 1, 15 iterations, seeds 1..3, k = 10,
/// train items excluded). The peer numbers of DESIGN.md section 9 (implicit 0.7, mean of its seeds 1..3) are P@10 0.0079,
/// R@10 0.0124, NDCG@10 0.0122; over seeds 1..8 this implementation measured P@10 0.0074 / R@10 0.0114 (AlphaR) and
/// 0.0075 / 0.0115 (OnePlusAlphaR), with a seed-to-seed spread of 0.0069..0.0079 in P@10 (docs/benchmarks-als.md).
/// The assertion is therefore a regression floor well above popularity (P@10 0.0048, R@10 0.0057, NDCG@10 0.0049),
/// not the peer target. Users without training interactions are scored by the model as given (zero factors); the
/// recommender's popularity fallback is not part of this check.
/// </summary>
public class AlsDeskdropQualityTests(ITestOutputHelper output)
{
    private static readonly Lazy<DeskdropBenchmark> Benchmark = new(() => DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop));

    [Theory]
    [InlineData(AlsConfidence.AlphaR, AlsSolver.ConjugateGradient)]
    [InlineData(AlsConfidence.OnePlusAlphaR, AlsSolver.ConjugateGradient)]
    public void MeanOfThreeSeedsStaysWellAbovePopularity(AlsConfidence confidence, AlsSolver solver)
    {
        var data = Benchmark.Value.Dataset;
        double precision = 0, recall = 0, ndcg = 0;
        for (int seed = 1; seed <= 3; seed++)
        {
            var model = new AlsTrainer(new AlsTrainer.Options
            {
                NumberOfFactors = 64, Regularization = 0.01f, Alpha = 1f, NumberOfIterations = 15,
                Confidence = confidence, Solver = solver, Seed = seed,
            }).Fit(data.Train, data.Users, data.Items);
            var result = RankingEvaluator.Evaluate(data.Train, data.Test, model, new RankingEvaluationOptions { K = 10 });
            output.WriteLine($"seed {seed}: P@10 {result.Precision:F5} R@10 {result.Recall:F5} NDCG@10 {result.Ndcg:F5} (users {result.UsersEvaluated})");
            precision += result.Precision / 3;
            recall += result.Recall / 3;
            ndcg += result.Ndcg / 3;
        }
        output.WriteLine($"{confidence} {solver} mean: P@10 {precision:F5} R@10 {recall:F5} NDCG@10 {ndcg:F5}");
        Assert.True(precision >= 0.0070, $"P@10 {precision:F5} < 0.0070 (peer 0.0079, popularity 0.0048)");
        Assert.True(recall >= 0.0105, $"R@10 {recall:F5} < 0.0105 (peer 0.0124, popularity 0.0057)");
        Assert.True(ndcg >= 0.0100, $"NDCG@10 {ndcg:F5} < 0.0100 (peer 0.0122, popularity 0.0049)");
    }
}
