using DeskdropML.Evaluation.Protocols;
using DeskdropML.Trainers.Popularity;
using DeskdropML.Tuning;

namespace DeskdropML.Tests.Evaluation.Protocols;

/// <summary>
/// Selection must not depend on test data: scrambling every event of the test period leaves the selected configuration
/// and every validation score unchanged (while it does change the test metrics, so the check is not vacuous).
/// </summary>
public class TuningNeverSeesTestTests
{
    private static (long, string, string)[] Rows(int seed, bool scrambleTestPeriod)
    {
        var random = new Random(seed);
        var rows = new List<(long, string, string)>();
        for (int r = 0; r < 1500; r++)
        {
            long t = random.Next(0, 3000);
            // A drifting "news feed": item popularity follows time.
            string item = "i" + Math.Clamp((int)(t / 100) + random.Next(-2, 3), 0, 40);
            rows.Add((t, "u" + random.Next(0, 40), item));
        }
        if (scrambleTestPeriod)
        {
            var scramble = new Random(seed + 99);
            for (int r = 0; r < rows.Count; r++)
                if (rows[r].Item1 >= 2000) rows[r] = (rows[r].Item1, "u" + scramble.Next(0, 40), "i" + scramble.Next(0, 41));
        }
        return rows.ToArray();
    }

    private static ProtocolTuningResult Tune(bool scramble)
    {
        var history = InteractionHistory.Build(TinyLogs.Log(Rows(7, scramble)), minItemsPerUser: 1);
        var protocol = new RollingBacktest(new RollingBacktest.Options { SplitTime = 2000, FoldDays = 250 / 86400.0, ValidationFolds = 3 });
        var space = new SearchSpace().AddChoice("half_life", 20.0, 100.0, 400.0, 1600.0);
        var validation = protocol.ValidationFolds(history, CandidatePolicy.Seen);
        var test = protocol.TestFolds(history, CandidatePolicy.Seen);
        // The fit sees only the split's train entries (pair times): recency popularity with the trial's half-life at the last train time.
        TrialFit fit = (split, p, _) =>
        {
            long now = 0;
            foreach (long t in split.Timestamps) now = Math.Max(now, t);
            return RecencyPopularityModel.Fit(split.Users, split.Items, split.Train.ColumnIndices, split.Timestamps, now, p.GetDouble("half_life"));
        };
        var tuner = new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 4, Seed = 1, SuccessiveHalving = false, MaxBudget = 1, NumberOfThreads = 1 });
        return tuner.Tune(validation, test, protocol.Name, space, fit);
    }

    [Fact]
    public void Scrambling_the_test_period_changes_nothing_the_tuner_looked_at()
    {
        var clean = Tune(scramble: false);
        var scrambled = Tune(scramble: true);
        Assert.Equal(clean.Tuning.BestParameters.ToString(), scrambled.Tuning.BestParameters.ToString());
        Assert.Equal(clean.Tuning.Trials.Select(t => t.Validation), scrambled.Tuning.Trials.Select(t => t.Validation));
        Assert.Equal(clean.Tuning.Trials.Select(t => t.Score), scrambled.Tuning.Trials.Select(t => t.Score));
        Assert.NotEqual(clean.Test.Means.Ndcg, scrambled.Test.Means.Ndcg);
        Assert.True(clean.Tuning.Trials.Select(t => t.Score).Distinct().Count() > 1, "the trials should be told apart on validation");
    }

    [Fact]
    public void Event_based_fits_get_the_validation_folds_during_the_search_and_the_test_folds_after_it()
    {
        var history = InteractionHistory.Build(TinyLogs.Log(Rows(7, scrambleTestPeriod: false)), minItemsPerUser: 1);
        var protocol = new RollingBacktest(new RollingBacktest.Options { SplitTime = 2000, FoldDays = 250 / 86400.0, ValidationFolds = 3 });
        var validation = protocol.ValidationFolds(history, CandidatePolicy.Seen);
        var test = protocol.TestFolds(history, CandidatePolicy.Seen);
        var seen = new List<(EvaluationFold? Fold, bool Validation)>();
        // A fit from the fold's own events (what the two-stage model does): recency at the fold start.
        TrialFit fit = (split, p, _) =>
        {
            seen.Add((split.Fold, split.IsValidationTrain));
            var f = split.Fold!;
            var e = f.TrainEvents;
            return RecencyPopularityModel.Fit(split.Users, split.Items, e.Items, e.Times, f.Start!.Value, p.GetDouble("half_life"));
        };
        var tuner = new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 2, Seed = 1, SuccessiveHalving = false, MaxBudget = 1, NumberOfThreads = 1 });
        tuner.Tune(validation, test, protocol.Name, new SearchSpace().AddChoice("half_life", 20.0, 400.0), fit);
        Assert.Equal(2 * validation.Count + test.Count, seen.Count);
        var search = seen.Take(2 * validation.Count).ToList();
        Assert.All(search, s => Assert.True(s.Validation));
        Assert.Equal(validation.Concat(validation), search.Select(s => s.Fold));      // each candidate walks the folds in time order
        Assert.Equal(test, seen.Skip(2 * validation.Count).Select(s => s.Fold));
        Assert.All(seen.Skip(2 * validation.Count), s => Assert.False(s.Validation));
        Assert.True(validation.Max(f => f.End!.Value) <= test.Min(f => f.Start!.Value));
    }
}
