using DeskdropML;
using DeskdropML.Catalog;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Ranking;

namespace DeskdropML.Tests.Ranking;

public class TwoStageTests
{
    private const long Day = NewsLog.Day;
    private static readonly long Split = NewsLog.Start + 30 * Day;

    private static TwoStageTrainer.Options Options(int retrainEvery = 1) => new()
    {
        Candidates = new CandidateOptions { Recency = 20, Fresh = 10, CoRead = 10 },
        Ranker = new LambdaRankTrainer.Options { NumberOfIterations = 30, MinimumExampleCountPerLeaf = 10 },
        WindowHours = 24,
        TrainingWindows = 7,
        RetrainEveryWindows = retrainEvery,
    };

    private static IReadOnlyList<EvaluationFold> Folds(DeskdropML.Data.InteractionLog log) =>
        new RollingBacktest(new RollingBacktest.Options { SplitTime = Split, FoldDays = 1 }).TestFolds(InteractionHistory.Build(log), CandidatePolicy.Seen);

    private static float[][] Scores(IRecommenderModelLike model, int users, int items)
    {
        var all = new float[users][];
        for (int u = 0; u < users; u++) { all[u] = new float[items]; model.ScoreItems(u, all[u]); }
        return all;
    }

    private interface IRecommenderModelLike { void ScoreItems(int u, Span<float> s); }

    private sealed class Wrap(TwoStageModel m) : IRecommenderModelLike { public void ScoreItems(int u, Span<float> s) => m.ScoreItems(u, s); }

    [Fact]
    public void Training_windows_label_only_new_seen_items_of_the_window()
    {
        const long H = 3600;
        // Before S = 10 h: u0 reads i0, i1; u1 reads i1, i2. In the window: u0 re-reads i0 (not new), reads i2 (new, seen);
        // u1 reads i3 (never seen before S: not a candidate); u2 reads i0 (new, seen).
        var state = new FreshnessState(3, 4, new FreshnessState.Options { HalfLivesHours = new[] { 6.0 } });
        state.Advance(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 1, 2 }, new[] { 1 * H, 2 * H, 3 * H, 4 * H }, 10 * H);
        var snapshot = new RankingSnapshot(state, 10 * H, new CandidateOptions { Recency = 10, Fresh = 0, CoRead = 0 });
        var w = TrainingWindows.Collect(snapshot, state, new[] { 0, 0, 1, 2 }, new[] { 0, 2, 3, 0 }, maxGroups: 10, seed: 1);
        Assert.Equal(2, w.Users);          // u0 and u2; u1's only window item was unseen
        Assert.Equal(2, w.RelevantPairs);
        Assert.Equal(2, w.CoveredPairs);
        Assert.Equal(2, w.Rows.GroupCount);
        var (start0, count0) = w.Rows.Group(0); // u0: candidates i2 (i0, i1 read)
        Assert.Equal(1, count0);
        Assert.Equal(1f, w.Rows.Labels[start0]);
        var (start1, count1) = w.Rows.Group(1); // u2: candidates i0, i1, i2; only i0 relevant
        Assert.Equal(3, count1);
        Assert.Equal(new float[] { 1, 0, 0 }, w.Rows.Labels.Slice(start1, count1).ToArray());
    }

    [Fact]
    public void Fold_features_and_scores_ignore_every_event_at_or_after_the_fold_start()
    {
        var log = NewsLog.Create();
        var folds = Folds(log);
        var fold = folds[3];
        long t = fold.Start!.Value;
        // Same past, different future: later events moved to other times after t, duplicated and reversed in file order.
        var random = new Random(11);
        var past = NewsLog.Rows(log).Where(r => r.T < t).ToList();
        var future = NewsLog.Rows(log).Where(r => r.T >= t).Select(r => (r.U, r.I, T: t + random.Next((int)(5 * Day)))).ToList();
        future.AddRange(future.Take(200).Select(r => (r.U, r.I, T: r.T + 60)));
        future.Reverse();
        var altered = NewsLog.FromRows(past.Concat(future).ToList());
        var other = Folds(altered)[3];
        Assert.Equal(t, other.Start);
        Assert.Equal(fold.Dataset.Users.Ids, other.Dataset.Users.Ids);
        Assert.Equal(fold.Dataset.Items.Ids, other.Dataset.Items.Ids);

        var a = new TwoStageFoldFitter(Options()).Fit(fold);
        var b = new TwoStageFoldFitter(Options()).Fit(other);
        Assert.NotNull(a.Ranker);
        int users = fold.Dataset.Users.Count, items = fold.Dataset.Items.Count;
        var sa = Scores(new Wrap(a), users, items);
        var sb = Scores(new Wrap(b), users, items);
        for (int u = 0; u < users; u++) Assert.Equal(sa[u], sb[u]);
    }

    [Fact]
    public void Streaming_fold_to_fold_matches_a_full_fit_at_each_fold()
    {
        var folds = Folds(NewsLog.Create());
        var streaming = new TwoStageFoldFitter(Options(retrainEvery: 1));
        TwoStageModel? model = null;
        for (int f = 0; f <= 4; f++) model = streaming.Fit(folds[f]);
        Assert.Equal(1, streaming.FullFits);
        var full = new TwoStageFoldFitter(Options()).Fit(folds[4]);
        Assert.Equal(full.Now, model!.Now);
        Assert.Equal(full.State.EventCount, model.State.EventCount);
        Assert.Equal(full.State.ItemReaders.ToArray(), model.State.ItemReaders.ToArray());
        for (int i = 0; i < full.Items.Count; i++)
        {
            Assert.Equal(full.State.Decayed(0, i, full.Now), model.State.Decayed(0, i, full.Now), 9);
            Assert.Equal(full.State.ItemFirstSeen[i], model.State.ItemFirstSeen[i]);
        }
        Assert.Equal(full.Windows.Select(w => (w.Start, w.Users, w.RelevantPairs, w.CoveredPairs, w.Rows.Count)),
            model.Windows.Select(w => (w.Start, w.Users, w.RelevantPairs, w.CoveredPairs, w.Rows.Count)));
        // Same windows, features equal up to float rounding of the decayed counts: the rankings agree.
        int users = full.Users.Count, items = full.Items.Count, same = 0, evaluated = 0;
        var sf = Scores(new Wrap(full), users, items);
        var sm = Scores(new Wrap(model), users, items);
        for (int u = 0; u < users; u++)
        {
            evaluated++;
            if (Top(sf[u], 10).SequenceEqual(Top(sm[u], 10))) same++;
        }
        Assert.True(same >= evaluated * 0.95, $"{same} of {evaluated} top-10 lists agree");
    }

    private static int[] Top(float[] s, int k) => Enumerable.Range(0, s.Length).OrderByDescending(i => s[i]).ThenBy(i => i).Take(k).ToArray();

    [Fact]
    public void Beats_the_best_recency_baseline_on_a_planted_news_log()
    {
        var folds = Folds(NewsLog.Create(days: 40, seed: 2));
        var fitter = new TwoStageFoldFitter(Options(retrainEvery: 3));
        var twoStage = ProtocolEvaluator.Evaluate("backtest", folds, f => fitter.Fit(f).ScoreItems, new ProtocolEvaluationOptions { NumberOfThreads = 1, BootstrapResamples = 200 });
        var recency = ProtocolEvaluator.Evaluate("backtest", folds, f =>
        {
            var e = f.TrainEvents;
            return Trainers.Popularity.RecencyPopularityModel.Fit(f.Dataset.Users, f.Dataset.Items, e.Items, e.Times, f.Start!.Value, 6 * 3600).ScoreItems;
        }, new ProtocolEvaluationOptions { NumberOfThreads = 1, BootstrapResamples = 200 });
        var diff = twoStage.PairedDifference(recency)[ReportedMetric.Ndcg];
        // Items belong to teams: the co-read and user features must find them; recency alone cannot.
        Assert.True(diff.Low > 0, $"two-stage {twoStage.Means.Ndcg} vs recency {recency.Means.Ndcg}, paired CI [{diff.Low}, {diff.High}]");
    }

    [Fact]
    public void Model_zip_round_trip_gives_identical_scores_and_recommendations()
    {
        var log = NewsLog.Create();
        var history = InteractionHistory.Build(log);
        int cut = history.EventsBefore(Split);
        var model = new TwoStageTrainer(Options()).Fit(history.Users, history.Items, history.EventUsers[..cut], history.EventItems[..cut], history.EventTimes[..cut], Split);
        string path = Path.Combine(Path.GetTempPath(), $"two-stage-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(path);
            var loaded = TwoStageModel.Load(path);
            Assert.Equal(model.Now, loaded.Now);
            Assert.Equal(model.FeatureImportances(), loaded.FeatureImportances());
            int users = model.Users.Count, items = model.Items.Count;
            var a = Scores(new Wrap(model), users, items);
            var b = Scores(new Wrap(loaded), users, items);
            for (int u = 0; u < users; u++) Assert.Equal(a[u], b[u]);
            string user = model.Users[5];
            Assert.Equal(model.Recommend(user, Split + 3600, 10), loaded.Recommend(user, Split + 3600, 10));
            // The zip is an ML.NET model too (the ranker), with the state as an extra entry.
            var ml = new Microsoft.ML.MLContext(0);
            Assert.NotNull(ml.Model.Load(path, out _));
            // Both keep streaming: one more day of events gives the same counters.
            int end = history.EventsBefore(Split + Day);
            model.Update(history.EventUsers[cut..end], history.EventItems[cut..end], history.EventTimes[cut..end], Split + Day);
            loaded.Update(history.EventUsers[cut..end], history.EventItems[cut..end], history.EventTimes[cut..end], Split + Day);
            Assert.Equal(model.State.ItemEvents.ToArray(), loaded.State.ItemEvents.ToArray());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Recommend_excludes_read_items_and_refuses_the_past()
    {
        var log = NewsLog.Create();
        var history = InteractionHistory.Build(log);
        int cut = history.EventsBefore(Split);
        var model = new TwoStageTrainer(Options()).Fit(history.Users, history.Items, history.EventUsers[..cut], history.EventItems[..cut], history.EventTimes[..cut], Split);
        string user = model.Users[0];
        var top = model.Recommend(user, Split, 10);
        Assert.Equal(10, top.Count);
        foreach (var item in top) Assert.False(model.State.HasRead(0, model.Items.IndexOf(item.ItemId)));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Recommend(user, Split - 1, 10));
        Assert.Throws<ArgumentException>(() => model.Recommend("nobody", Split, 10));
        Assert.Throws<ArgumentException>(() => new TwoStageTrainer(Options()).Fit(history.Users, history.Items,
            history.EventUsers, history.EventItems, history.EventTimes, Split)); // events after now are refused
        Assert.Equal("TrainingWindows", Assert.Throws<ArgumentOutOfRangeException>(() => new TwoStageTrainer(new TwoStageTrainer.Options { TrainingWindows = 0 })).ParamName);
    }

    private sealed class EventRow
    {
        public string UserId { get; set; } = "";
        public string ItemId { get; set; } = "";
        public long Timestamp { get; set; }
    }

    [Fact]
    public void The_catalog_estimator_fits_from_a_data_view_like_the_trainer_on_arrays()
    {
        var log = NewsLog.Create(days: 35);
        var ml = new Microsoft.ML.MLContext(0);
        var view = ml.Data.LoadFromEnumerable(NewsLog.Rows(log).Select(r => new EventRow { UserId = r.U, ItemId = r.I, Timestamp = r.T }));
        var options = Options();
        var viaCatalog = ml.Recommenders().Trainers.TwoStage(options).Fit(view, Split);

        var users = new Sparse.IdMap(log.Users.Distinct().Order(StringComparer.Ordinal));
        var items = new Sparse.IdMap(log.Items.Distinct().Order(StringComparer.Ordinal));
        var order = Enumerable.Range(0, log.Count).Where(r => log.Timestamps[r] < Split).OrderBy(r => log.Timestamps[r]).ThenBy(r => r).ToArray();
        var direct = new TwoStageTrainer(options).Fit(users, items, order.Select(r => users.IndexOf(log.Users[r])).ToArray(),
            order.Select(r => items.IndexOf(log.Items[r])).ToArray(), order.Select(r => log.Timestamps[r]).ToArray(), Split);
        Assert.Equal(direct.Users.Ids, viaCatalog.Users.Ids);
        var a = Scores(new Wrap(direct), users.Count, items.Count);
        var b = Scores(new Wrap(viaCatalog), users.Count, items.Count);
        for (int u = 0; u < users.Count; u++) Assert.Equal(a[u], b[u]);
        Assert.Throws<ArgumentException>(() => ml.Recommenders().Trainers.TwoStage(options, timestampColumnName: "When").Fit(view));
    }
}
