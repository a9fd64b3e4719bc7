using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Tests.Evaluation.Protocols;

/// <summary>The rolling backtest and the candidate policies on a log whose folds were worked out by hand (see <see cref="TinyLogs.Backtest"/>).</summary>
public class BacktestKnownAnswerTests
{
    private static InteractionHistory History(bool articles = false) =>
        InteractionHistory.Build(TinyLogs.Backtest(), minItemsPerUser: 1, articles ? TinyLogs.Articles() : null);

    [Fact]
    public void Events_are_indexed_in_time_order_whatever_the_file_order()
    {
        var h = History();
        Assert.Equal(new long[] { 100, 200, 300, 400, 1000, 1050, 1060, 1070, 1100, 1150 }, h.EventTimes.ToArray());
        Assert.Equal(new[] { "A", "B", "C", "D", "E" }, h.Items.Ids);
        Assert.Equal(4, h.EventsBefore(1000));
        Assert.Equal(0, h.EventsBefore(100));
    }

    [Fact]
    public void Folds_start_at_the_split_and_cover_the_log()
    {
        var folds = TinyLogs.TwoFolds().TestFolds(History(), CandidatePolicy.Seen);
        Assert.Equal(2, folds.Count);
        Assert.Equal((1000L, 1100L), (folds[0].Start!.Value, folds[0].End!.Value));
        Assert.Equal((1100L, 1200L), (folds[1].Start!.Value, folds[1].End!.Value));
    }

    [Fact]
    public void Seen_policy_first_fold_matches_the_hand_computation()
    {
        var fold = TinyLogs.TwoFolds().TestFolds(History(), CandidatePolicy.Seen)[0];
        Assert.Equal(new[] { "u1:A", "u1:B", "u2:A", "u3:C" }, TinyLogs.TrainPairs(fold));
        Assert.Equal(4, fold.TrainEvents.Count);
        Assert.Equal(new[] { "A", "B", "C" }, TinyLogs.Candidates(fold));
        // u2:A is an earlier item (neither ranked nor relevant); u3:D was first seen inside the fold (not a candidate).
        Assert.Equal(new[] { "u1:C", "u2:B" }, TinyLogs.Relevant(fold));
        Assert.Equal(1, fold.RelevantPairsOutsideCandidates);
        Assert.Equal(2, fold.TestUsers);
        Assert.Equal(0, fold.ContentOnlyCandidates);
    }

    [Fact]
    public void Seen_policy_second_fold_trains_on_everything_before_it()
    {
        var fold = TinyLogs.TwoFolds().TestFolds(History(), CandidatePolicy.Seen)[1];
        Assert.Equal(new[] { "u1:A", "u1:B", "u1:C", "u2:A", "u2:B", "u3:C", "u3:D" }, TinyLogs.TrainPairs(fold));
        Assert.Equal(new[] { "A", "B", "C", "D" }, TinyLogs.Candidates(fold));
        Assert.Equal(new[] { "u1:D" }, TinyLogs.Relevant(fold));
        Assert.Equal(1, fold.RelevantPairsOutsideCandidates); // u3:E, first seen in the fold
        // u2:A aggregates two events (log2(1 + 2)) and keeps the later time.
        int u2 = fold.Dataset.Users.IndexOf("u2"), a = fold.Dataset.Items.IndexOf("A");
        Assert.Equal((float)Math.Log2(3), fold.Dataset.Train.Get(u2, a));
    }

    [Fact]
    public void Available_policy_adds_shared_unremoved_articles_before_the_fold_start_only()
    {
        var h = History(articles: true);
        Assert.Equal(new[] { "A", "B", "C", "D", "E", "F", "G" }, h.Items.Ids);
        var folds = TinyLogs.TwoFolds().TestFolds(h, CandidatePolicy.Available);
        // t = 1000: D (shared 900) and G (950) are available; F was removed at 800; E is shared only at 1120.
        Assert.Equal(new[] { "A", "B", "C", "D", "G" }, TinyLogs.Candidates(folds[0]));
        Assert.Equal(2, folds[0].ContentOnlyCandidates);
        Assert.Equal(new[] { "u1:C", "u2:B", "u3:D" }, TinyLogs.Relevant(folds[0]));
        Assert.Equal(0, folds[0].RelevantPairsOutsideCandidates);
        // t = 1100: E (shared 1120) is still not a candidate, so u3:E is outside.
        Assert.Equal(new[] { "A", "B", "C", "D", "G" }, TinyLogs.Candidates(folds[1]));
        Assert.Equal(1, folds[1].RelevantPairsOutsideCandidates);
    }

    [Fact]
    public void Catalog_policy_is_every_item_with_a_pair_and_is_labelled_leaky()
    {
        var fold = TinyLogs.TwoFolds().TestFolds(History(), CandidatePolicy.Catalog)[0];
        Assert.Equal(new[] { "A", "B", "C", "D", "E" }, TinyLogs.Candidates(fold));
        Assert.Equal(new[] { "u1:C", "u2:B", "u3:D" }, TinyLogs.Relevant(fold));
        Assert.Equal("catalog (leaky)", CandidatePolicy.Catalog.ToLabel());
        Assert.Equal("seen", CandidatePolicy.Seen.ToLabel());
    }

    [Fact]
    public void Available_without_articles_is_an_error_not_a_silent_seen()
    {
        Assert.Throws<InvalidOperationException>(() => TinyLogs.TwoFolds().TestFolds(History(), CandidatePolicy.Available));
    }

    [Fact]
    public void Validation_folds_end_at_the_split_and_never_see_it()
    {
        var h = History();
        var validation = TinyLogs.TwoFolds(validationFolds: 2).ValidationFolds(h, CandidatePolicy.Seen);
        Assert.Equal(new long[] { 800, 900 }, validation.Select(f => f.Start!.Value));
        Assert.All(validation, f => Assert.True(f.End <= 1000));
        Assert.All(validation, f => Assert.Empty(TinyLogs.Relevant(f))); // no event in [800, 1000)
    }

    [Fact]
    public void Sliding_window_trains_on_the_window_but_still_excludes_older_items_from_relevance()
    {
        var protocol = new RollingBacktest(new RollingBacktest.Options { SplitTime = 1000, FoldDays = 100 / 86400.0, TrainWindowDays = 750 / 86400.0 });
        var fold = protocol.TestFolds(History(), CandidatePolicy.Seen)[0];
        // Window [250, 1000): u1 B (300) and u3 C (400) only.
        Assert.Equal(new[] { "u1:B", "u3:C" }, TinyLogs.TrainPairs(fold));
        Assert.Equal(new[] { "B", "C" }, TinyLogs.Candidates(fold));
        // u2:B is relevant (B is a candidate); u2:A stays an earlier item although its event (200) is outside the window.
        Assert.Equal(new[] { "u1:C", "u2:B" }, TinyLogs.Relevant(fold));
    }

    [Fact]
    public void Recency_popularity_counts_decayed_events_before_the_fold_start()
    {
        var fold = TinyLogs.TwoFolds().TestFolds(History(), CandidatePolicy.Seen)[0];
        var events = fold.TrainEvents;
        var model = RecencyPopularityModel.Fit(fold.Dataset.Users, fold.Dataset.Items, events.Items, events.Times, 1000, 300);
        // A: events at 100 and 200 -> 2^-3 + 2^-(8/3); B: 300 -> 2^-(7/3); C: 400 -> 2^-2.
        Assert.Equal(Math.Pow(2, -3) + Math.Pow(2, -8.0 / 3), model.ItemScores[0], 6);
        Assert.Equal(Math.Pow(2, -7.0 / 3), model.ItemScores[1], 6);
        Assert.Equal(0.25, model.ItemScores[2], 6);
        Assert.Equal(0, model.ItemScores[3]);
    }

    [Fact]
    public void Evaluating_a_fold_ranks_only_candidates_and_reports_the_exact_random_expectation()
    {
        var fold = TinyLogs.TwoFolds().TestFolds(History(), CandidatePolicy.Seen)[0];
        // A scorer that prefers non-candidates (D, E) must not get them into the list.
        var r = ProtocolEvaluator.EvaluateFold(fold, (u, s) => { s[3] = 100; s[4] = 99; s[2] = 1; }, new ProtocolEvaluationOptions { K = 1 });
        Assert.Equal(2, r.UsersEvaluated);
        // u1 (train A, B): only C is left -> hit. u2 (train A): B and C left, C scores higher -> miss.
        Assert.Equal(new[] { 1.0, 0.0 }, r.PerUser.Select(p => p.Metrics.Hit));
        // Random: u1 C = 1, R = 1 -> 1; u2 C = 2, R = 1 -> precision 1/2.
        Assert.Equal(new[] { 1, 2 }, r.Units.Select(x => x.Candidates));
        Assert.Equal(0.75, r.Random.Precision, 12);
        Assert.Equal(0, r.ColdShare);
    }

    [Fact]
    public void No_fold_trains_on_an_event_at_or_after_its_start()
    {
        var h = History(articles: true);
        foreach (var fold in TinyLogs.TwoFolds().TestFolds(h, CandidatePolicy.Available))
        {
            Assert.All(fold.TrainEvents.Times.ToArray(), t => Assert.True(t < fold.Start));
            Assert.All(fold.Dataset.TrainTimestamps.ToArray(), t => Assert.True(t < fold.Start));
        }
    }
}
