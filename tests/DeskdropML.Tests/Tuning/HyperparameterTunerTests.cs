using System.Text.Json;
using System.Text.Json.Nodes;
using DeskdropML.Data;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Popularity;
using DeskdropML.Tuning;

namespace DeskdropML.Tests.Tuning;

public class HyperparameterTunerTests
{
    private const double PeakLearningRate = 0.03;

    private static SearchSpace LearningRateSpace() => new SearchSpace()
        .AddFloat("learning_rate", 1e-4, 1, logScale: true)
        .AddChoice("factors", 8, 16, 32);

    /// <summary>
    /// Quality peaks at learning rate 0.03: noise grows with |ln(lr / 0.03)|. The truth is the split the model is
    /// evaluated on — validation pairs during the search, test pairs for the final model — known to the test only.
    /// </summary>
    private static TrialFit PeakedFit(InteractionDataset dataset)
    {
        var validation = dataset.CarveValidation(0.2);
        return (split, p, budget) =>
        {
            double noise = 0.3 + 2 * Math.Abs(Math.Log(p.GetDouble("learning_rate") / PeakLearningRate)) + 1.0 / budget;
            var truth = split.IsValidationTrain ? validation.Test : dataset.Test;
            return new TuningFixtures.NoisyOracleModel(split.Users, split.Items, truth, noise, p.Seed);
        };
    }

    [Fact]
    public void Fits_never_see_test_pairs_and_search_fits_never_see_validation_pairs()
    {
        var dataset = TuningFixtures.SyntheticDataset();
        var validation = dataset.CarveValidation(0.2);
        int searchFits = 0, finalFits = 0;
        TrialFit fit = (split, p, budget) =>
        {
            var train = split.Train;
            for (int u = 0; u < train.Rows; u++)
            {
                foreach (int i in train.RowIndices(u))
                {
                    Assert.False(dataset.Test.Contains(u, i), $"test pair ({u}, {i}) handed to a fit");
                    if (split.IsValidationTrain) Assert.False(validation.Test.Contains(u, i), $"validation pair ({u}, {i}) handed to a search fit");
                }
            }
            if (split.IsValidationTrain)
            {
                searchFits++;
                Assert.Equal(validation.Train.NonZeroCount, train.NonZeroCount);
                Assert.Equal(0, finalFits); // the final retraining comes after the whole search
            }
            else
            {
                finalFits++;
                Assert.Equal(dataset.Train.NonZeroCount, train.NonZeroCount);
                Assert.Equal(27, budget);
            }
            return PopularityModel.Fit(train, split.Users, split.Items);
        };
        var tuner = new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 9, NumberOfThreads = 1 });
        var result = tuner.Tune(dataset, LearningRateSpace(), fit);

        Assert.True(validation.Test.NonZeroCount > 0 && dataset.Test.NonZeroCount > 0);
        Assert.Equal(tuner.Schedule.TotalTrials, searchFits);
        Assert.Equal(1, finalFits);
        // Validation metrics are computed on the carved split's users, test metrics on the test users.
        Assert.Equal(validation.Summary.TestUsers, result.Validation.Users);
        Assert.Equal(dataset.Summary.TestUsers, result.Test.Users);
    }

    [Fact]
    public void The_carved_validation_split_holds_only_train_pairs()
    {
        var dataset = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Dataset;
        var validation = dataset.CarveValidation(0.2);
        Assert.Equal(dataset.Train.NonZeroCount, validation.Train.NonZeroCount + validation.Test.NonZeroCount);
        foreach (var m in new[] { validation.Train, validation.Test })
            for (int u = 0; u < m.Rows; u++)
                foreach (int i in m.RowIndices(u))
                {
                    Assert.True(dataset.Train.Contains(u, i));
                    Assert.False(dataset.Test.Contains(u, i));
                }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Finds_the_learning_rate_where_a_synthetic_model_peaks(bool halving)
    {
        var dataset = TuningFixtures.SyntheticDataset();
        var tuner = new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 27, Seed = 5, SuccessiveHalving = halving, NumberOfThreads = 1 });
        var result = tuner.Tune(dataset, LearningRateSpace(), PeakedFit(dataset));

        double Distance(TrialParameters p) => Math.Abs(Math.Log(p.GetDouble("learning_rate") / PeakLearningRate));
        double closest = result.Trials.Min(t => Distance(t.Parameters));
        double chosen = Distance(result.BestParameters);
        Assert.True(chosen <= closest + 0.05, $"chose lr {result.BestParameters.GetDouble("learning_rate")} (distance {chosen:F3}); the closest candidate was at {closest:F3}");
        Assert.InRange(result.BestParameters.GetDouble("learning_rate"), 0.015, 0.06);
        // The selected model is clearly better than the worst candidate on validation and transfers to test.
        Assert.True(result.Validation.Ndcg > result.Trials.Min(t => t.Validation.Ndcg) + 0.1);
        Assert.True(result.Test.Ndcg > 0.5, $"test NDCG {result.Test.Ndcg}");
    }

    [Fact]
    public void Successive_halving_spends_less_budget_than_random_search_with_the_same_candidates()
    {
        var dataset = TuningFixtures.SyntheticDataset();
        var options = new HyperparameterTuner.Options { Trials = 27, MinBudget = 1, MaxBudget = 27, Eta = 3, Seed = 2, NumberOfThreads = 1 };
        var halving = new HyperparameterTuner(options).Tune(dataset, LearningRateSpace(), PeakedFit(dataset));
        options.SuccessiveHalving = false;
        var random = new HyperparameterTuner(options).Tune(dataset, LearningRateSpace(), PeakedFit(dataset));

        Assert.Equal(27 + 9 * 3 + 3 * 9 + 1 * 27, halving.TotalBudget);
        Assert.Equal(27 * 27, random.TotalBudget);
        Assert.True(halving.TotalBudget < random.TotalBudget);
        // Same seed, same candidates: both searches drew the same 27 parameter sets.
        var rung0 = halving.Trials.Where(t => t.Rung == 0).Select(t => t.Parameters.ToString()).ToArray();
        Assert.Equal(random.Trials.Select(t => t.Parameters.ToString()).ToArray(), rung0);
        // Survivors of each rung are the best of the rung before.
        for (int rung = 1; rung <= 3; rung++)
        {
            var previous = halving.Trials.Where(t => t.Rung == rung - 1).OrderByDescending(t => t.Score).ThenBy(t => t.Trial).ToList();
            var current = halving.Trials.Where(t => t.Rung == rung).Select(t => t.Parameters.Candidate).ToHashSet();
            Assert.Equal(previous.Take(current.Count).Select(t => t.Parameters.Candidate).ToHashSet(), current);
        }
    }

    [Fact]
    public void Schedules_have_the_documented_rungs()
    {
        Assert.Equal(new[] { (27, 1), (9, 3), (3, 9), (1, 27) }, SuccessiveHalvingSchedule.Halving(27, 1, 27, 3).Rungs);
        Assert.Equal(new[] { (10, 1), (3, 3), (1, 10) }, SuccessiveHalvingSchedule.Halving(10, 1, 10, 3).Rungs);
        // At budget 16 the next step (32) would pass R = 20, so that rung runs at R and is the last.
        Assert.Equal(new[] { (20, 2), (10, 4), (5, 8), (2, 20) }, SuccessiveHalvingSchedule.Halving(20, 2, 20, 2).Rungs);
        Assert.Equal(new[] { (1, 50) }, SuccessiveHalvingSchedule.Halving(1, 5, 50, 3).Rungs);
        Assert.Equal(new[] { (4, 7) }, SuccessiveHalvingSchedule.Halving(4, 7, 7, 3).Rungs);
        Assert.Equal(new[] { (6, 30) }, SuccessiveHalvingSchedule.RandomSearch(6, 30).Rungs);
    }

    [Fact]
    public void Same_seed_same_result_and_another_seed_other_candidates()
    {
        var dataset = TuningFixtures.SyntheticDataset();
        TuningResult Run(int seed) => new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 9, Seed = seed, MaxBudget = 9 })
            .Tune(dataset, LearningRateSpace(), PeakedFit(dataset));
        var a = Run(7);
        var b = Run(7);
        var c = Run(8);
        string Key(TuningResult r) => string.Join("|", r.Trials.Select(t => $"{t.Rung}:{t.Budget}:{t.Parameters}:{t.Parameters.Seed}:{t.Score:R}"))
            + $"#{r.BestParameters}#{r.Test.Ndcg:R}";
        Assert.Equal(Key(a), Key(b));
        Assert.NotEqual(Key(a), Key(c));
    }

    [Fact]
    public void Selection_uses_the_chosen_metric()
    {
        var dataset = TuningFixtures.SyntheticDataset();
        var result = new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 6, Metric = TuningMetric.Precision, K = 5, SuccessiveHalving = false })
            .Tune(dataset, LearningRateSpace(), PeakedFit(dataset));
        Assert.All(result.Trials, t => Assert.Equal(t.Validation.Precision, t.Score));
        Assert.Equal(result.Trials.Max(t => t.Validation.Precision), result.Validation.Precision);
        Assert.Equal(5, result.K);
    }

    [Fact]
    public void Progress_reports_every_trial_of_n()
    {
        var dataset = TuningFixtures.SyntheticDataset();
        var reports = new List<TuningProgress>();
        var tuner = new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 10, MaxBudget = 9 });
        tuner.Tune(dataset, LearningRateSpace(), PeakedFit(dataset), new SynchronousProgress(reports.Add));
        Assert.Equal(Enumerable.Range(1, tuner.Schedule.TotalTrials), reports.Select(r => r.Trial));
        Assert.All(reports, r => Assert.Equal(tuner.Schedule.TotalTrials, r.TotalTrials));
        Assert.All(reports, r => Assert.True(r.BestValidationScore >= r.ValidationScore));
    }

    private sealed class SynchronousProgress(Action<TuningProgress> report) : IProgress<TuningProgress>
    {
        public void Report(TuningProgress value) => report(value);
    }

    [Fact]
    public void Json_has_the_tune_contract_shape()
    {
        var dataset = TuningFixtures.SyntheticDataset();
        var result = new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 4, MaxBudget = 3 })
            .Tune(dataset, LearningRateSpace(), PeakedFit(dataset));
        string text = result.ToJson("fake").ToJsonString();
        var json = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("fake", (string?)json["model"]);
        Assert.True(json.ContainsKey("selected_on"), "the DESIGN section 8 contract field"); // its honesty is tested by TuningNeverSeesTestTests
        Assert.Equal("ndcg", (string?)json["metric"]);
        var trials = json["trials"]!.AsArray();
        Assert.Equal(result.Trials.Count, trials.Count);
        foreach (var t in trials)
        {
            Assert.NotNull(t!["params"]!["learning_rate"]);
            Assert.Equal(JsonValueKind.Number, t["params"]!["factors"]!.GetValueKind());
            Assert.NotNull(t["validation"]!["ndcg"]);
            Assert.NotNull(t["fit_seconds"]);
        }
        Assert.Equal(result.BestParameters.GetDouble("learning_rate"), (double)json["best"]!["learning_rate"]!);
        foreach (var metric in new[] { "precision", "recall", "ndcg", "map" })
        {
            Assert.Equal(JsonValueKind.Number, json["validation"]![metric]!.GetValueKind());
            Assert.Equal(JsonValueKind.Number, json["test"]![metric]!.GetValueKind());
        }
        Assert.Equal(result.Test.Ndcg, (double)json["test"]!["ndcg"]!);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        var dataset = TuningFixtures.SyntheticDataset();
        TrialFit fit = (s, p, b) => PopularityModel.Fit(s.Train, s.Users, s.Items);
        foreach (var (bad, name) in new (HyperparameterTuner.Options, string)[]
                 {
                     (new() { Trials = 0 }, "Trials"), (new() { MinBudget = 0 }, "MinBudget"), (new() { MinBudget = 5, MaxBudget = 4 }, "MaxBudget"),
                     (new() { Eta = 1 }, "Eta"), (new() { ValidationFraction = 1 }, "ValidationFraction"), (new() { K = 0 }, "K"),
                     (new() { NumberOfThreads = 0 }, "NumberOfThreads"), (new() { Metric = (TuningMetric)42 }, "Metric"),
                 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new HyperparameterTuner(bad));
            Assert.Equal(name, e.ParamName);
            Assert.Contains("Options." + name, e.Message);
        }
        var tuner = new HyperparameterTuner();
        Assert.Equal("space", Assert.Throws<ArgumentException>(() => tuner.Tune(dataset, new SearchSpace(), fit)).ParamName);
        TrialFit wrongShape = (s, p, b) => PopularityModel.Fit(Sparse.CsrMatrix.Empty(1, 1), Sparse.IdMap.FromIds(new[] { "a" }), Sparse.IdMap.FromIds(new[] { "b" }));
        Assert.Equal("fit", Assert.Throws<ArgumentException>(() => new HyperparameterTuner(new() { Trials = 1 }).Tune(dataset, LearningRateSpace(), wrongShape)).ParamName);
    }

    [Fact]
    public void Selecting_among_all_rungs_can_pick_and_retrain_a_small_budget()
    {
        // Quality falls with the budget (an overfitting model): noise = 0.3 + budget / 10.
        var dataset = TuningFixtures.SyntheticDataset();
        var validation = dataset.CarveValidation(0.2);
        var finalBudgets = new List<int>();
        TrialFit fit = (split, p, budget) =>
        {
            if (!split.IsValidationTrain) finalBudgets.Add(budget);
            return new TuningFixtures.NoisyOracleModel(split.Users, split.Items, split.IsValidationTrain ? validation.Test : dataset.Test, 0.3 + budget / 10.0, p.Seed);
        };
        var options = new HyperparameterTuner.Options { Trials = 9, MinBudget = 1, MaxBudget = 9, Eta = 3, SelectAmongAllRungs = true };
        var all = new HyperparameterTuner(options).Tune(dataset, LearningRateSpace(), fit);
        Assert.Equal(1, all.Best.Budget);
        Assert.Equal(0, all.Best.Rung);
        options.SelectAmongAllRungs = false;
        var last = new HyperparameterTuner(options).Tune(dataset, LearningRateSpace(), fit);
        Assert.Equal(9, last.Best.Budget);
        Assert.Equal(new[] { 1, 9 }, finalBudgets);
        Assert.True(all.Validation.Ndcg > last.Validation.Ndcg);
    }

    [Fact]
    public void A_fit_may_return_a_bare_user_scorer()
    {
        var dataset = TuningFixtures.SyntheticDataset();
        var validation = dataset.CarveValidation(0.2);
        // A scorer that ranks exactly the held-out items first: validation NDCG must be 1 for every trial.
        TrialFit fit = (split, p, budget) =>
        {
            var truth = split.IsValidationTrain ? validation.Test : dataset.Test;
            return new UserScorerModel(split.Users, split.Items, (u, scores) =>
            {
                scores.Clear();
                foreach (int i in truth.RowIndices(u)) scores[i] = 1;
            });
        };
        var result = new HyperparameterTuner(new() { Trials = 3, SuccessiveHalving = false, MaxBudget = 1, PopularityFallbackForColdUsers = false })
            .Tune(dataset, new SearchSpace().AddInteger("x", 1, 3), fit);
        Assert.All(result.Trials, t => Assert.Equal(1.0, t.Validation.Ndcg, 12));
        Assert.Equal(1.0, result.Test.Ndcg, 12);
    }

    [Fact]
    public void Cold_users_are_ranked_by_popularity()
    {
        // u0 is cold; items: i2 has 2 train users, i1 one, i0 none.
        var train = Sparse.CsrMatrix.FromTriplets(3, 3, new[] { 1, 2, 2 }, new[] { 2, 1, 2 }, new[] { 1f, 1f, 1f });
        var users = Sparse.IdMap.FromIds(new[] { "u0", "u1", "u2" });
        var items = Sparse.IdMap.FromIds(new[] { "i0", "i1", "i2" });
        var inner = new TuningFixtures.NoisyOracleModel(users, items, Sparse.CsrMatrix.Identity(3), 0, 1);
        var model = new ColdUserFallbackModel(inner, train);
        var scores = new float[3];
        model.ScoreItems(0, scores);
        Assert.Equal(new[] { 0f, 1f, 2f }, scores);
        model.ScoreItems(1, scores);
        Assert.Equal(new[] { 0f, 1f, 0f }, scores); // warm: the inner model (identity truth, no noise)
        Assert.False(model.IsWarm(0));
        Assert.True(model.IsWarm(2));
    }
}
