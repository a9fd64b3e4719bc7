using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Tests.Evaluation.Protocols;

/// <summary>Invariants of every protocol on random logs (seeded, so a failure repeats).</summary>
public class ProtocolPropertyTests
{
    private static (InteractionHistory History, ArticleAvailability Articles) RandomHistory(int seed)
    {
        var random = new Random(seed);
        int rows = random.Next(20, 200);
        var log = new (long, string, string)[rows];
        for (int r = 0; r < rows; r++)
            log[r] = (random.Next(0, 2000), "u" + random.Next(0, 12), "i" + random.Next(0, 25));
        var shared = new Dictionary<string, long>();
        var removed = new Dictionary<string, long>();
        for (int i = 0; i < 30; i++)
        {
            if (random.NextDouble() < 0.7) shared["i" + i] = random.Next(0, 2000);
            if (random.NextDouble() < 0.2) removed["i" + i] = random.Next(0, 2000);
        }
        var articles = new ArticleAvailability(shared, removed);
        return (InteractionHistory.Build(TinyLogs.Log(log), minItemsPerUser: 2, articles), articles);
    }

    [Fact]
    public void Backtest_folds_are_causal_for_every_policy()
    {
        for (int seed = 0; seed < 40; seed++)
        {
            var (h, articles) = RandomHistory(seed);
            var protocol = new RollingBacktest(new RollingBacktest.Options { SplitTime = 1000, FoldDays = 150 / 86400.0, ValidationFolds = 3 });
            foreach (var policy in new[] { CandidatePolicy.Seen, CandidatePolicy.Available })
            {
                foreach (var fold in protocol.TestFolds(h, policy).Concat(protocol.ValidationFolds(h, policy)))
                {
                    long t = fold.Start!.Value;
                    Assert.All(fold.TrainEvents.Times.ToArray(), time => Assert.True(time < t, $"seed {seed}: train event at {time} >= fold start {t}"));
                    var ds = fold.Dataset;
                    var itemHasTrain = new bool[ds.Items.Count];
                    foreach (int c in ds.Train.ColumnIndices) itemHasTrain[c] = true;
                    for (int i = 0; i < ds.Items.Count; i++)
                    {
                        if (!fold.Candidates[i]) continue;
                        // A candidate was seen before t, or (available) shared before t and not removed before t.
                        Assert.True(itemHasTrain[i] || (policy == CandidatePolicy.Available && articles.IsAvailable(ds.Items[i], t)),
                            $"seed {seed}: item {ds.Items[i]} is a candidate at {t} without being seen or available");
                    }
                    for (int u = 0; u < ds.Test.Rows; u++)
                        foreach (int i in ds.Test.RowIndices(u))
                        {
                            Assert.True(fold.Candidates[i]);
                            Assert.False(ds.Train.Contains(u, i), $"seed {seed}: relevant item is an earlier item");
                        }
                }
            }
        }
    }

    [Fact]
    public void Pair_protocols_partition_each_users_pairs()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var (h, _) = RandomHistory(seed);
            var protocols = new PairSplitProtocol[] { new UserHoldoutProtocol(0.3, seed), new LeaveLastNProtocol(2), new KFoldProtocol(3, seed), new TimeSplitProtocol(1000) };
            foreach (var protocol in protocols)
            {
                var folds = protocol.TestFolds(h, CandidatePolicy.Catalog);
                var testedOnce = new Dictionary<(int, int), int>();
                foreach (var fold in folds)
                {
                    var ds = fold.Dataset;
                    Assert.Equal(h.PairCount, ds.Train.NonZeroCount + ds.Test.NonZeroCount + fold.RelevantPairsOutsideCandidates);
                    for (int u = 0; u < ds.Test.Rows; u++)
                        foreach (int i in ds.Test.RowIndices(u))
                        {
                            Assert.False(ds.Train.Contains(u, i));
                            testedOnce[(u, i)] = testedOnce.GetValueOrDefault((u, i)) + 1;
                        }
                    if (protocol is not TimeSplitProtocol)
                        for (int u = 0; u < ds.Train.Rows; u++)
                            if (ds.Test.RowLength(u) > 0) Assert.True(ds.Train.RowLength(u) >= 1, $"{protocol.Name}: a user lost every train pair");
                }
                if (protocol is KFoldProtocol) Assert.All(testedOnce.Values, n => Assert.Equal(1, n));
            }
        }
    }

    [Fact]
    public void Validation_folds_of_pair_protocols_hold_no_test_pair()
    {
        for (int seed = 0; seed < 10; seed++)
        {
            var (h, _) = RandomHistory(seed);
            foreach (var protocol in new PairSplitProtocol[] { new UserHoldoutProtocol(0.3, seed), new LeaveLastNProtocol(1), new KFoldProtocol(4, seed), new TimeSplitProtocol(1000) })
            {
                var test = protocol.TestFolds(h, CandidatePolicy.Catalog)[0].Dataset;
                var validation = protocol.ValidationFolds(h, CandidatePolicy.Catalog)[0].Dataset;
                for (int u = 0; u < test.Test.Rows; u++)
                    foreach (int i in test.Test.RowIndices(u))
                        Assert.False(validation.Train.Contains(u, i) || validation.Test.Contains(u, i), $"{protocol.Name}: a test pair is in the validation fold");
            }
        }
    }
}
