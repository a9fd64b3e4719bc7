using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Contract;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Tests.Recommending;

public sealed class RecommenderTests
{
    // Dimension 2. Items (q, b_i): a=(1,0; 0), b=(2,0.1; 100), c=(0,1; 0), d=(-1,0; 0), e=(1,0; 0).
    // User 0 "u0" p=(1,0), b_u=0.5 -> scores a 1.5, b 102.5, c 0.5, d -0.5, e 1.5  (a and e tie).
    // User 1 "u1" has no training interactions. User 2 "u2" p=(0,1) -> a 0, b 100.1, c 1, d 0, e 0.
    private static readonly IdMap Users = new(new[] { "u0", "u1", "u2" });
    private static readonly IdMap Items = new(new[] { "a", "b", "c", "d", "e" });

    private static TestFactorizationModel Model() => new(Users, Items, 2,
        new float[] { 1, 0, 5, 5, 0, 1 }, new float[] { 0.5f, 9, 0 },
        new float[] { 1, 0, 2, 0.1f, 0, 1, -1, 0, 1, 0 }, new float[] { 0, 100, 0, 0, 0 },
        new[] { true, false, true });

    // Known items: u0 has b; u2 has c. Popularity fallback: d 3, c 2, others 0 (given explicitly).
    private static readonly CsrMatrix Known = CsrMatrix.FromTriplets(3, 5, new[] { 0, 2 }, new[] { 1, 2 }, new[] { 1f, 1f });
    private static readonly float[] Fallback = { 0, 0, 2, 3, 0 };

    private static Recommender Create() => new(Model(), Known, Fallback);

    private static string[] Ids(RecommendationList list) => list.Items.Select(i => i.ItemId).ToArray();

    [Fact]
    public void RecommendRanksByScoreBreaksTiesByItemIndexAndExcludesKnownItems()
    {
        var list = Create().Recommend("u0", 4);
        Assert.False(list.IsFallback);
        Assert.Equal(new[] { "a", "e", "c", "d" }, Ids(list));
        Assert.Equal(new[] { 1.5f, 1.5f, 0.5f, -0.5f }, list.Items.Select(i => i.Score));
        Assert.Equal(new[] { "b", "a", "e" }, Ids(Create().Recommend("u0", 3, excludeKnown: false)));
    }

    [Fact]
    public void ItemFilterRestrictsEligibleItems()
    {
        var list = Create().Recommend("u0", 10, itemFilter: id => id != "a" && id != "c");
        Assert.Equal(new[] { "e", "d" }, Ids(list));
    }

    [Fact]
    public void ColdAndUnknownUsersGetTheFallbackRanking()
    {
        var r = Create();
        var cold = r.Recommend("u1", 3);
        Assert.True(cold.IsFallback);
        Assert.Equal(new[] { "d", "c", "a" }, Ids(cold)); // popularity, ties by index; NOT u1's factors (5,5; 9)
        var unknown = r.Recommend("who?", 2);
        Assert.True(unknown.IsFallback);
        Assert.Equal(new[] { "d", "c" }, Ids(unknown));
        Assert.True(r.IsColdUser(1));
        Assert.False(r.IsColdUser(0));
    }

    [Fact]
    public void ScoreItemsAppliesTheSameFallback()
    {
        var r = Create();
        var scores = new float[5];
        r.ScoreItems(1, scores);
        Assert.True(r.IsColdUser(1));
        Assert.Equal(Fallback, scores);
        r.ScoreItems(2, scores);
        Assert.False(r.IsColdUser(2));
        Assert.Equal(new[] { 0f, 100.1f, 1f, 0f, 0f }, scores);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.ScoreItems(3, scores));
        Assert.Throws<ArgumentException>(() => r.ScoreItems(0, new float[4]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void RecommendBatchMatchesRecommendForAnyThreadCount(int threads)
    {
        var data = PlantedData.Create(seed: 31);
        var model = TestFactorizationModel.Random(data.Users, data.Items, 3, seed: 4, coldUsers: new[] { 5, 17 });
        var r = new Recommender(model, data.Train, PopularityModel.Fit(data.Train, data.Users, data.Items));
        var users = Enumerable.Range(0, data.Users.Count).Reverse().ToArray();
        var batch = r.RecommendBatch(users, 7, threads);
        for (int j = 0; j < users.Length; j++)
        {
            var single = r.Recommend(data.Users[users[j]], 7).Items.Select(i => data.Items.IndexOf(i.ItemId));
            Assert.Equal(single, batch[j]);
        }
        Assert.Equal(batch, r.RecommendBatch(users, 7, threads: 1));
    }

    [Fact]
    public void ConcurrentCallsGiveTheSequentialResults()
    {
        var data = PlantedData.Create(seed: 41);
        var model = TestFactorizationModel.Random(data.Users, data.Items, 5, seed: 9, coldUsers: new[] { 3 });
        var r = new Recommender(model, data.Train, PopularityModel.Fit(data.Train, data.Users, data.Items));
        var expected = data.Users.Ids.Select(u => r.Recommend(u, 6).Items).ToArray();
        var similar = data.Items.Ids.Select(i => r.SimilarItems(i, 4)).ToArray();
        var fresh = new Recommender(model, data.Train, PopularityModel.Fit(data.Train, data.Users, data.Items));
        var got = new IReadOnlyList<ScoredItem>[expected.Length];
        var gotSimilar = new IReadOnlyList<ScoredItem>[similar.Length];
        Parallel.For(0, Math.Max(expected.Length, similar.Length), new ParallelOptions { MaxDegreeOfParallelism = 4 }, j =>
        {
            if (j < got.Length) got[j] = fresh.Recommend(data.Users[j], 6).Items;
            if (j < gotSimilar.Length) gotSimilar[j] = fresh.SimilarItems(data.Items[j], 4);
        });
        for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], got[j]);
        for (int j = 0; j < similar.Length; j++) Assert.Equal(similar[j], gotSimilar[j]);
    }

    [Fact]
    public void SimilarItemsIsCosineOfFactorsIgnoringBiases()
    {
        var similar = Create().SimilarItems("a", 4);
        // cos(a,e)=1, cos(a,b)=2/sqrt(4.01), cos(a,c)=0, cos(a,d)=-1; b's bias of 100 must not matter.
        Assert.Equal(new[] { "e", "b", "c", "d" }, similar.Select(s => s.ItemId));
        Assert.Equal(1f, similar[0].Score, 6);
        Assert.Equal(2 / Math.Sqrt(4.01), similar[1].Score, 6);
        Assert.Equal(0f, similar[2].Score, 6);
        Assert.Equal(-1f, similar[3].Score, 6);
    }

    [Fact]
    public void BadArgumentsAreRejectedWithClearMessages()
    {
        var r = Create();
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => r.Recommend("u0", 0)).ParamName);
        Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => r.RecommendBatch(new[] { 0 }, 3, 0)).ParamName);
        Assert.Contains("position 1", Assert.Throws<ArgumentOutOfRangeException>(() => r.RecommendBatch(new[] { 0, 9 }, 3)).Message);
        Assert.Contains("'zzz'", Assert.Throws<KeyNotFoundException>(() => r.SimilarItems("zzz")).Message);
        Assert.Equal("knownInteractions", Assert.Throws<ArgumentException>(() => new Recommender(Model(), CsrMatrix.Empty(3, 4), Fallback)).ParamName);
        Assert.Equal("fallbackScores", Assert.Throws<ArgumentException>(() => new Recommender(Model(), Known, new float[2])).ParamName);
        var popularity = PopularityModel.Fit(Known, Users, Items);
        Assert.Throws<InvalidOperationException>(() => new Recommender(popularity, Known, popularity).SimilarItems("a"));
    }

    [Fact]
    public void NonFactorizationModelsTreatUsersWithoutKnownItemsAsCold()
    {
        var popularity = PopularityModel.Fit(Known, Users, Items);
        var r = new Recommender(popularity, Known, new float[] { 9, 8, 7, 6, 5 });
        Assert.True(r.Recommend("u1", 2).IsFallback);
        Assert.Equal(new[] { "a", "b" }, Ids(r.Recommend("u1", 2)));
        Assert.False(r.Recommend("u0", 2).IsFallback);
    }
}
