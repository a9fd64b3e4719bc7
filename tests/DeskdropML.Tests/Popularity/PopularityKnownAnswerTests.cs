using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Tests.Popularity;

/// <summary>The popularity rows of DESIGN section 3, and the baseline's definition on a small matrix.</summary>
public class PopularityKnownAnswerTests
{
    [Theory]
    [InlineData(DeskdropBenchmarkKind.Deskdrop, 982, 0.0047862, 0.0056631, 0.0049446)]
    [InlineData(DeskdropBenchmarkKind.DeskdropText, 626, 0.0062300, 0.0123309, 0.0077171)]
    public void Popularity_at_10_matches_the_design_table(DeskdropBenchmarkKind kind, int users, double precision, double recall, double ndcg)
    {
        var ds = DeskdropBenchmark.Load(TestPaths.NotebooksData, kind).Dataset;
        var model = PopularityModel.Fit(ds.Train, ds.Users, ds.Items);
        var r = RankingEvaluator.Evaluate(ds.Train, ds.Test, model, new RankingEvaluationOptions { K = 10 });
        Assert.Equal(users, r.UsersEvaluated);
        Assert.Equal(precision, r.Precision, 1e-6);
        Assert.Equal(recall, r.Recall, 1e-6);
        Assert.Equal(ndcg, r.Ndcg, 1e-6);
    }

    [Fact]
    public void Scores_count_distinct_train_users_whatever_the_weight()
    {
        // users x items: u0 {0: 5.0, 2: 0.0}, u1 {2: 1.0}, u2 {1: 3.0, 2: 2.0}
        var train = CsrMatrix.FromTriplets(3, 3, new[] { 0, 0, 1, 2, 2 }, new[] { 0, 2, 2, 1, 2 }, new[] { 5f, 0f, 1f, 3f, 2f });
        var model = PopularityModel.Fit(train, IdMap.FromIds(new[] { "a", "b", "c" }), IdMap.FromIds(new[] { "x", "y", "z" }));
        Assert.Equal(new[] { 1f, 1f, 3f }, model.ItemScores.ToArray());
    }

    [Fact]
    public void Half_life_weights_each_pair_by_its_age()
    {
        var train = CsrMatrix.FromTriplets(2, 2, new[] { 0, 1 }, new[] { 0, 1 }, new[] { 1f, 1f });
        var maps = IdMap.FromIds(new[] { "a", "b" });
        long day = 86_400;
        var model = PopularityModel.Fit(train, maps, maps, new PopularityOptions { HalfLifeSeconds = day }, new[] { 0L, 2 * day });
        // Reference = latest time (2 days): item 0 is 2 half-lives old -> 0.25, item 1 is fresh -> 1.
        Assert.Equal(0.25f, model.ItemScores[0], 6);
        Assert.Equal(1f, model.ItemScores[1], 6);
        Assert.Throws<ArgumentException>(() => PopularityModel.Fit(train, maps, maps, new PopularityOptions { HalfLifeSeconds = day }));
        Assert.Throws<ArgumentOutOfRangeException>(() => PopularityModel.Fit(train, maps, maps, new PopularityOptions { HalfLifeSeconds = -1 }, new[] { 0L, 1 }));
    }
}
