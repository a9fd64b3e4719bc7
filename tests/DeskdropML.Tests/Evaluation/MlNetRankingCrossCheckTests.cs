using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Tests.Evaluation;

public class MlNetRankingCrossCheckTests
{
    [Fact]
    public void Our_ndcg_equals_mlnet_ranking_evaluate_on_the_deskdrop_popularity_lists()
    {
        var ds = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Dataset;
        var model = PopularityModel.Fit(ds.Train, ds.Users, ds.Items);
        var check = MlNetRankingCrossCheck.Run(ds.Train, ds.Test, model.ScoreItems, 10);
        Assert.Equal(982, check.Groups);
        Assert.Equal(0, check.ShortLists);
        Assert.Equal(0.0049446, check.Ours.Ndcg, 1e-6);
        Assert.Equal(check.Ours.Ndcg, check.MlNetNdcg, 1e-6);
    }

    [Fact]
    public void A_different_ranking_gives_a_different_mlnet_ndcg()
    {
        // The check is not vacuous: reversing the popularity order changes both numbers together.
        var ds = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.DeskdropText).Dataset;
        var model = PopularityModel.Fit(ds.Train, ds.Users, ds.Items);
        var reversed = MlNetRankingCrossCheck.Run(ds.Train, ds.Test, (u, s) => { model.ScoreItems(u, s); for (int i = 0; i < s.Length; i++) s[i] = -s[i]; }, 10);
        var normal = MlNetRankingCrossCheck.Run(ds.Train, ds.Test, model.ScoreItems, 10);
        Assert.NotEqual(normal.MlNetNdcg, reversed.MlNetNdcg, 6);
        Assert.Equal(reversed.Ours.Ndcg, reversed.MlNetNdcg, 1e-6);
        Assert.Equal(normal.Ours.Ndcg, normal.MlNetNdcg, 1e-6);
    }
}
