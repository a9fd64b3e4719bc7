using DeskdropML.Data;
using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Tests.Evaluation.Protocols;

/// <summary>The per-user protocols and the notebook's time split on hand-made logs and on the shipped data.</summary>
public class PairProtocolKnownAnswerTests
{
    /// <summary>u1 reads A..E at 10..50; u2 reads A, B, C at 30, 10, 20 (file order differs from time order).</summary>
    private static InteractionHistory Five() => InteractionHistory.Build(TinyLogs.Log(
        (10, "u1", "A"), (20, "u1", "B"), (30, "u1", "C"), (40, "u1", "D"), (50, "u1", "E"),
        (30, "u2", "A"), (10, "u2", "B"), (20, "u2", "C")), minItemsPerUser: 1);

    [Fact]
    public void Leave_last_n_holds_out_each_users_latest_pairs()
    {
        var fold = new LeaveLastNProtocol(2).TestFolds(Five(), CandidatePolicy.Catalog)[0];
        // u1's latest two are D (40) and E (50); u2's are A (30) and C (20).
        Assert.Equal(new[] { "u1:D", "u1:E", "u2:A", "u2:C" }, TinyLogs.Relevant(fold));
        Assert.Equal(new[] { "u1:A", "u1:B", "u1:C", "u2:B" }, TinyLogs.TrainPairs(fold));
    }

    [Fact]
    public void Leave_last_n_keeps_at_least_one_train_pair()
    {
        var fold = new LeaveLastNProtocol(10).TestFolds(Five(), CandidatePolicy.Catalog)[0];
        Assert.Equal(new[] { "u1:A", "u2:B" }, TinyLogs.TrainPairs(fold));
    }

    [Fact]
    public void User_holdout_takes_round_f_n_per_user_and_repeats_for_a_seed()
    {
        var h = Five();
        var a = new UserHoldoutProtocol(0.4, seed: 3).TestFolds(h, CandidatePolicy.Catalog)[0];
        var b = new UserHoldoutProtocol(0.4, seed: 3).TestFolds(h, CandidatePolicy.Catalog)[0];
        Assert.Equal(TinyLogs.Relevant(a), TinyLogs.Relevant(b));
        // round(0.4 * 5) = 2 for u1, round(0.4 * 3) = 1 for u2.
        Assert.Equal(2, TinyLogs.Relevant(a).Count(x => x.StartsWith("u1:")));
        Assert.Equal(1, TinyLogs.Relevant(a).Count(x => x.StartsWith("u2:")));
        var seeds = Enumerable.Range(0, 20).Select(s => string.Join(",", TinyLogs.Relevant(new UserHoldoutProtocol(0.4, s).TestFolds(h, CandidatePolicy.Catalog)[0])));
        Assert.True(seeds.Distinct().Count() > 3, "different seeds should draw different holdouts");
    }

    [Fact]
    public void Seen_candidates_of_a_per_user_protocol_are_the_items_with_train_pairs()
    {
        // Leave-last-1: u1 holds out E and u2 holds out A; E has no train pair left, so it is not a candidate.
        var fold = new LeaveLastNProtocol(1).TestFolds(Five(), CandidatePolicy.Seen)[0];
        Assert.Equal(new[] { "A", "B", "C", "D" }, TinyLogs.Candidates(fold));
        Assert.Equal(new[] { "u2:A" }, TinyLogs.Relevant(fold));
        Assert.Equal(1, fold.RelevantPairsOutsideCandidates);
    }

    [Fact]
    public void Time_split_with_catalog_candidates_equals_the_notebook_dataset()
    {
        var benchmark = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop);
        var expected = benchmark.Dataset;
        var history = InteractionHistory.Build(benchmark.Log);
        var fold = new TimeSplitProtocol(DatasetOptions.DeskdropSplitTime).TestFolds(history, CandidatePolicy.Catalog)[0];
        var ds = fold.Dataset;
        Assert.Equal(expected.Users.Ids, ds.Users.Ids);
        Assert.Equal(expected.Items.Ids, ds.Items.Ids);
        Assert.Equal(expected.Train.RowPointers.ToArray(), ds.Train.RowPointers.ToArray());
        Assert.Equal(expected.Train.ColumnIndices.ToArray(), ds.Train.ColumnIndices.ToArray());
        Assert.Equal(expected.Train.Values.ToArray(), ds.Train.Values.ToArray());
        Assert.Equal(expected.Test.ColumnIndices.ToArray(), ds.Test.ColumnIndices.ToArray());
        Assert.Equal(expected.TrainTimestamps.ToArray(), ds.TrainTimestamps.ToArray());
        Assert.Equal((29329, 9777, 982), (ds.Train.NonZeroCount, ds.Test.NonZeroCount, fold.TestUsers));
        Assert.Equal(2984, fold.CandidateCount);
        Assert.Equal(0, fold.RelevantPairsOutsideCandidates);
    }

    [Fact]
    public void Time_split_with_seen_candidates_drops_the_items_that_only_exist_in_the_test_period()
    {
        var benchmark = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop);
        var fold = new TimeSplitProtocol(DatasetOptions.DeskdropSplitTime).TestFolds(InteractionHistory.Build(benchmark.Log), CandidatePolicy.Seen)[0];
        // DESIGN section 3: 8,575 of the 9,777 test pairs are on items without a train interaction.
        Assert.Equal(8575, fold.RelevantPairsOutsideCandidates);
        Assert.Equal(9777 - 8575, fold.RelevantPairs);
    }
}

/// <summary>Sampled-negatives HitRate@k on a hand-made fold.</summary>
public class SampledNegativesTests
{
    [Fact]
    public void Ranks_each_test_pair_among_the_users_unseen_candidates()
    {
        // u1 reads A then B; u2 reads C..P (14 items, P last). Leave-last-1 holds out u1:B and u2:P. Catalog candidates
        // A..P (indices 0..15): u1's unseen candidates are C..P (14), u2's are A and B (2).
        var rows = new List<(long, string, string)> { (10, "u1", "A"), (20, "u1", "B") };
        for (int i = 2; i < 16; i++) rows.Add((10 + i, "u2", ((char)('A' + i)).ToString()));
        var fold = new LeaveLastNProtocol(1).TestFolds(InteractionHistory.Build(TinyLogs.Log(rows.ToArray()), minItemsPerUser: 1), CandidatePolicy.Catalog)[0];
        Assert.Equal(new[] { "u1:B", "u2:P" }, TinyLogs.Relevant(fold));

        // score = item index: u1:B (1) is beaten by all 14 negatives (miss at 5 and 10); u2:P (15) beats A and B (hit).
        var ascending = DeskdropML.Evaluation.SampledNegativesEvaluator.Evaluate(fold, (u, s) => { for (int i = 0; i < s.Length; i++) s[i] = i; }, negatives: 100, seed: 1);
        Assert.Equal(0.5, ascending.HitRateAt5, 12);
        Assert.Equal(0.5, ascending.HitRateAt10, 12);
        // Random order: u1's positive is at one of 15 positions, u2's at one of 3.
        Assert.Equal((5.0 / 15 + 1) / 2, ascending.RandomHitRateAt5, 12);
        Assert.Equal((10.0 / 15 + 1) / 2, ascending.RandomHitRateAt10, 12);

        // score = -index: both positives rank first.
        var descending = DeskdropML.Evaluation.SampledNegativesEvaluator.Evaluate(fold, (u, s) => { for (int i = 0; i < s.Length; i++) s[i] = -i; }, negatives: 100, seed: 1);
        Assert.Equal(1.0, descending.HitRateAt5, 12);

        // Three sampled negatives: u1's positive is beaten by exactly 3 -> rank 3, a hit at 5.
        var three = DeskdropML.Evaluation.SampledNegativesEvaluator.Evaluate(fold, (u, s) => { for (int i = 0; i < s.Length; i++) s[i] = i; }, negatives: 3, seed: 1);
        Assert.Equal(1.0, three.HitRateAt5, 12);
    }
}
