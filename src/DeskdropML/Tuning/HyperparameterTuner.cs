using System.Diagnostics;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Recommending;

namespace DeskdropML.Tuning;

/// <summary>
/// Seeded hyperparameter search on a validation split carved from the train pairs by time: random search, with
/// successive halving over a budget (epochs or iterations) by default.
/// </summary>
/// <remarks>
/// <para><b>Protocol.</b> (1) The validation split is <see cref="InteractionDataset.CarveValidation"/>(fraction): train
/// pairs before <c>t_min + (1 - fraction)(t_max - t_min)</c> of the train timestamps form the validation-train set, the
/// later train pairs the validation set. (2) The search receives only that carved dataset — the test pairs are not
/// in it — and every trial is a call of the caller's <see cref="TrialFit"/> on the validation-train set followed by a
/// top-k evaluation on the validation set (users' validation-train items excluded). (3) The best trial of the last
/// rung (highest selection metric, ties to the earlier trial; or of all rungs with
/// <see cref="Options.SelectAmongAllRungs"/>) is retrained on the full train split at its budget (the maximum budget
/// by default) and evaluated on the test split exactly once.</para>
/// <para><b>Search.</b> <see cref="Options.Trials"/> candidates are drawn up front from
/// <see cref="SearchSpace"/> with a generator seeded by <see cref="Options.Seed"/> (for each candidate: its
/// parameters, then its own seed). With <see cref="Options.SuccessiveHalving"/> (default) the candidates run
/// through the rungs of <see cref="SuccessiveHalvingSchedule.Halving"/>: all n at the minimum budget r, the best
/// <c>floor(n/η)</c> at <c>r η</c>, and so on until the maximum budget R (η = <see cref="Options.Eta"/>, default 3).
/// Without it, every candidate runs once at R. Fits and evaluations run one after the other, so with a fit that is
/// deterministic for its seed the whole result is deterministic for <see cref="Options.Seed"/>.</para>
/// <para><b>Cold users.</b> Users without validation-train (or train) pairs are ranked by popularity
/// (<see cref="ColdUserFallbackModel"/>) unless <see cref="Options.PopularityFallbackForColdUsers"/> is false.</para>
/// </remarks>
public sealed class HyperparameterTuner
{
    /// <summary>Options of the tuner.</summary>
    public sealed class Options
    {
        /// <summary>Number of candidates drawn from the search space. Must be ≥ 1. Default 20.</summary>
        public int Trials = 20;

        /// <summary>Seed of candidate sampling (and of each candidate's <see cref="TrialParameters.Seed"/>). Default 0.</summary>
        public int Seed;

        /// <summary>Fraction of the train time span carved off as validation, in (0, 1). Default 0.2.</summary>
        public double ValidationFraction = 0.2;

        /// <summary>The metric to maximize on validation. Default <see cref="TuningMetric.Ndcg"/>.</summary>
        public TuningMetric Metric = TuningMetric.Ndcg;

        /// <summary>Cut-off k of the metrics. Must be ≥ 1. Default 10.</summary>
        public int K = 10;

        /// <summary>True (default) for successive halving over the budget; false for plain random search at <see cref="MaxBudget"/>.</summary>
        public bool SuccessiveHalving = true;

        /// <summary>Budget of the first rung of successive halving. Must be ≥ 1. Default 1.</summary>
        public int MinBudget = 1;

        /// <summary>Budget of the last rung and of the final retraining. Must be ≥ <see cref="MinBudget"/>. Default 27.</summary>
        public int MaxBudget = 27;

        /// <summary>Reduction factor η of successive halving: keep the best 1/η, multiply the budget by η. Must be ≥ 2. Default 3.</summary>
        public int Eta = 3;

        /// <summary>Threads of each top-k evaluation; null (default) = processor count. Metrics do not depend on it.</summary>
        public int? NumberOfThreads;

        /// <summary>Rank users without training pairs by popularity (default true).</summary>
        public bool PopularityFallbackForColdUsers = true;

        /// <summary>
        /// False (default): the winner is the best trial of the last rung (successive halving's rule) and is retrained at
        /// <see cref="MaxBudget"/>. True: the winner is the best trial of any rung and is retrained at that trial's budget —
        /// for models that overfit with more epochs, where the budget itself is worth selecting on validation.
        /// </summary>
        public bool SelectAmongAllRungs;
    }

    private readonly Options _options;

    /// <summary>Creates a tuner after validating the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its allowed range (the message names it).</exception>
    public HyperparameterTuner(Options? options = null)
    {
        _options = options ?? new Options();
        var o = _options;
        if (o.Trials < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.Trials), o.Trials, "Options.Trials must be at least 1.");
        if (!(o.ValidationFraction > 0 && o.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(Options.ValidationFraction), o.ValidationFraction, "Options.ValidationFraction must be in (0, 1).");
        if (o.K < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.K), o.K, "Options.K must be at least 1.");
        if (!Enum.IsDefined(o.Metric))
            throw new ArgumentOutOfRangeException(nameof(Options.Metric), o.Metric, "Options.Metric must be Ndcg, Precision, Recall or Map.");
        if (o.MinBudget < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.MinBudget), o.MinBudget, "Options.MinBudget must be at least 1.");
        if (o.MaxBudget < o.MinBudget)
            throw new ArgumentOutOfRangeException(nameof(Options.MaxBudget), o.MaxBudget, $"Options.MaxBudget must be at least Options.MinBudget ({o.MinBudget}).");
        if (o.Eta < 2)
            throw new ArgumentOutOfRangeException(nameof(Options.Eta), o.Eta, "Options.Eta must be at least 2.");
        if (o.NumberOfThreads is int t && t < 1)
            throw new ArgumentOutOfRangeException(nameof(Options.NumberOfThreads), t, "Options.NumberOfThreads must be at least 1 (or null for the processor count).");
        Schedule = o.SuccessiveHalving
            ? SuccessiveHalvingSchedule.Halving(o.Trials, o.MinBudget, o.MaxBudget, o.Eta)
            : SuccessiveHalvingSchedule.RandomSearch(o.Trials, o.MaxBudget);
    }

    /// <summary>The rungs this tuner runs.</summary>
    public SuccessiveHalvingSchedule Schedule { get; }

    /// <summary>
    /// Searches on a validation split carved from <paramref name="dataset"/>'s train pairs, retrains the best
    /// candidate on the full train split and evaluates it once on the test split.
    /// </summary>
    /// <param name="dataset">Train/test dataset; only its train pairs are used for the search.</param>
    /// <param name="space">The hyperparameters to search; must not be empty.</param>
    /// <param name="fit">The caller's trainer (see <see cref="TrialFit"/>).</param>
    /// <param name="progress">Optional progress after each trial.</param>
    /// <param name="cancellationToken">Checked between trials.</param>
    /// <exception cref="ArgumentException">The search space is empty, or a fitted model's maps do not match the dataset.</exception>
    public TuningResult Tune(InteractionDataset dataset, SearchSpace space, TrialFit fit,
        IProgress<TuningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(fit);
        if (space.Count == 0)
            throw new ArgumentException("The search space is empty; add at least one parameter.", nameof(space));

        // The search sees the carved dataset only: its "test" is the validation set, and the real test pairs are not in it.
        var validation = dataset.CarveValidation(_options.ValidationFraction);
        var folds = new[] { new TuningFold(new TrainingSplit(validation.Train, validation.Users, validation.Items, validation.TrainTimestamps, isValidationTrain: true), validation.Test, null) };
        var trials = Search(folds, space, fit, progress, cancellationToken);
        var best = SelectBest(trials, _options.SelectAmongAllRungs ? null : Schedule.Rungs.Count - 1);

        cancellationToken.ThrowIfCancellationRequested();
        var fullTrain = new TrainingSplit(dataset.Train, dataset.Users, dataset.Items, dataset.TrainTimestamps, isValidationTrain: false);
        var watch = Stopwatch.StartNew();
        var model = FitChecked(fit, fullTrain, best.Parameters, best.Budget);
        double fitSeconds = watch.Elapsed.TotalSeconds;
        var test = SplitMetrics.From(RankingEvaluator.Evaluate(dataset.Train, dataset.Test, model, EvaluationOptions(null)));
        return new TuningResult(_options.Metric, _options.K, _options.ValidationFraction, trials, best, test, fitSeconds, model);
    }

    /// <summary>
    /// Searches on the validation folds of an evaluation protocol (each trial is fitted on every validation fold's train
    /// and scored by the mean over all validation units), then fits the best candidate on every test fold's train and
    /// evaluates it there once. The test folds are not touched before the search has ended.
    /// </summary>
    /// <param name="validationFolds">Folds the selection may look at (<see cref="IEvaluationProtocol.ValidationFolds"/>).</param>
    /// <param name="testFolds">Folds evaluated once with the selected candidate.</param>
    /// <param name="protocol">The protocol's name (reported).</param>
    /// <param name="space">The hyperparameters to search; must not be empty.</param>
    /// <param name="fit">The caller's trainer.</param>
    /// <param name="progress">Optional progress after each trial.</param>
    /// <param name="cancellationToken">Checked between trials.</param>
    public ProtocolTuningResult Tune(IReadOnlyList<EvaluationFold> validationFolds, IReadOnlyList<EvaluationFold> testFolds, string protocol,
        SearchSpace space, TrialFit fit, IProgress<TuningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validationFolds);
        ArgumentNullException.ThrowIfNull(testFolds);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(fit);
        if (space.Count == 0)
            throw new ArgumentException("The search space is empty; add at least one parameter.", nameof(space));
        if (validationFolds.Count == 0) throw new ArgumentException("At least one validation fold is needed.", nameof(validationFolds));
        if (testFolds.Count == 0) throw new ArgumentException("At least one test fold is needed.", nameof(testFolds));
        var folds = new List<TuningFold>(validationFolds.Count);
        foreach (var f in validationFolds) folds.Add(TuningFold.Of(f, isValidation: true));
        var trials = Search(folds, space, fit, progress, cancellationToken);
        var best = SelectBest(trials, _options.SelectAmongAllRungs ? null : Schedule.Rungs.Count - 1);

        var results = new List<RankingEvaluationResult>(testFolds.Count);
        IRecommenderModel? model = null;
        double fitSeconds = 0;
        foreach (var f in testFolds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tf = TuningFold.Of(f, isValidation: false);
            var watch = Stopwatch.StartNew();
            model = FitChecked(fit, tf.Split, best.Parameters, best.Budget);
            fitSeconds += watch.Elapsed.TotalSeconds;
            results.Add(RankingEvaluator.Evaluate(tf.Split.Train, tf.Test, model, EvaluationOptions(tf.Candidates)));
        }
        var evaluation = ProtocolEvaluationResult.FromFolds(protocol, testFolds[0].Policy, _options.K, results);
        var test = new SplitMetrics(evaluation.Units, evaluation.Means.Precision, evaluation.Means.Recall, evaluation.Means.Ndcg, evaluation.Means.Map);
        return new ProtocolTuningResult(new TuningResult(_options.Metric, _options.K, _options.ValidationFraction, trials, best, test, fitSeconds, model!), evaluation);
    }

    /// <summary>One fold the search fits on and scores on.</summary>
    private sealed record TuningFold(TrainingSplit Split, Sparse.CsrMatrix Test, bool[]? Candidates)
    {
        public static TuningFold Of(EvaluationFold f, bool isValidation) => new(
            new TrainingSplit(f.Dataset.Train, f.Dataset.Users, f.Dataset.Items, f.Dataset.TrainTimestamps, isValidationTrain: isValidation) { Fold = f },
            f.Dataset.Test, f.Candidates.ToArray());
    }

    /// <summary>Runs the schedule on the validation folds; a trial's metrics are the means over all their units.</summary>
    private List<TrialResult> Search(IReadOnlyList<TuningFold> folds, SearchSpace space, TrialFit fit,
        IProgress<TuningProgress>? progress, CancellationToken cancellationToken)
    {
        var random = new Random(_options.Seed);
        var candidates = new List<TrialParameters>(_options.Trials);
        for (int c = 0; c < _options.Trials; c++)
        {
            var values = space.Sample(random);
            candidates.Add(new TrialParameters(c, random.Next(), values));
        }

        var trials = new List<TrialResult>(Schedule.TotalTrials);
        var running = candidates;
        for (int rung = 0; rung < Schedule.Rungs.Count; rung++)
        {
            var (count, budget) = Schedule.Rungs[rung];
            if (rung > 0) running = Survivors(trials, rung - 1, count);
            double bestScore = double.NegativeInfinity;
            foreach (var candidate in running)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                var perFold = new List<RankingEvaluationResult>(folds.Count);
                double seconds = 0;
                foreach (var fold in folds)
                {
                    watch.Restart();
                    var model = FitChecked(fit, fold.Split, candidate, budget);
                    seconds += watch.Elapsed.TotalSeconds;
                    perFold.Add(RankingEvaluator.Evaluate(fold.Split.Train, fold.Test, model, EvaluationOptions(fold.Candidates)));
                }
                var metrics = perFold.Count == 1 ? SplitMetrics.From(perFold[0]) : Pooled(perFold);
                double score = metrics.Get(_options.Metric);
                if (double.IsNaN(score)) score = double.NegativeInfinity;
                bestScore = Math.Max(bestScore, score);
                var trial = new TrialResult(trials.Count + 1, rung, budget, candidate, metrics, score, seconds);
                trials.Add(trial);
                progress?.Report(new TuningProgress(trial.Trial, Schedule.TotalTrials, rung, budget, candidate, score, bestScore));
            }
        }
        return trials;
    }

    /// <summary>Means over the units of several folds.</summary>
    private static SplitMetrics Pooled(List<RankingEvaluationResult> folds)
    {
        int n = 0;
        double p = 0, r = 0, nd = 0, map = 0;
        foreach (var f in folds)
            foreach (var u in f.PerUser) { n++; p += u.Metrics.Precision; r += u.Metrics.Recall; nd += u.Metrics.Ndcg; map += u.Metrics.AveragePrecision; }
        return n == 0 ? new SplitMetrics(0, 0, 0, 0, 0) : new SplitMetrics(n, p / n, r / n, nd / n, map / n);
    }

    private IRecommenderModel FitChecked(TrialFit fit, TrainingSplit split, TrialParameters parameters, int budget)
    {
        var model = fit(split, parameters, budget)
            ?? throw new InvalidOperationException($"The fit function returned null for candidate {parameters.Candidate} ({parameters}).");
        if (model.Users.Count != split.Users.Count || model.Items.Count != split.Items.Count)
            throw new ArgumentException(
                $"The fitted model knows {model.Users.Count} users and {model.Items.Count} items but the split has {split.Users.Count} and {split.Items.Count}; " +
                "fit on split.Train with split.Users and split.Items.", nameof(fit));
        return _options.PopularityFallbackForColdUsers ? new ColdUserFallbackModel(model, split.Train) : model;
    }

    private RankingEvaluationOptions EvaluationOptions(bool[]? candidates) => new()
    {
        K = _options.K,
        ExcludeTrainItems = true,
        NumberOfThreads = _options.NumberOfThreads,
        Candidates = candidates,
        ItemSubsetDiagnostics = false,
    };

    /// <summary>The best <paramref name="keep"/> candidates of a rung, by score descending, ties by trial order.</summary>
    private static List<TrialParameters> Survivors(List<TrialResult> trials, int rung, int keep)
    {
        var ranked = new List<TrialResult>();
        foreach (var t in trials) if (t.Rung == rung) ranked.Add(t);
        ranked.Sort(CompareBestFirst);
        var survivors = new List<TrialParameters>(keep);
        for (int i = 0; i < keep && i < ranked.Count; i++) survivors.Add(ranked[i].Parameters);
        return survivors;
    }

    private static TrialResult SelectBest(List<TrialResult> trials, int? rung)
    {
        TrialResult? best = null;
        foreach (var t in trials)
        {
            if (rung is int r && t.Rung != r) continue;
            if (best is null || CompareBestFirst(t, best) < 0) best = t;
        }
        return best ?? throw new InvalidOperationException("The search ran no trial at its last rung.");
    }

    private static int CompareBestFirst(TrialResult a, TrialResult b)
    {
        int c = b.Score.CompareTo(a.Score);
        return c != 0 ? c : a.Trial.CompareTo(b.Trial);
    }
}
