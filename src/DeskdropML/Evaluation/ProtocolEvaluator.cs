using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Evaluation;

/// <summary>Produces a fold's scorer: fits a model on <c>fold.Dataset.Train</c> (and only on what the fold allows) and returns how it scores users.</summary>
public delegate UserScorer FoldFit(EvaluationFold fold);

/// <summary>Options of <see cref="ProtocolEvaluator"/>.</summary>
public sealed class ProtocolEvaluationOptions
{
    /// <summary>The cut-off k (≥ 1). Default 10.</summary>
    public int K = 10;

    /// <summary>Bootstrap resamples (≥ 1). Default 1,000.</summary>
    public int BootstrapResamples = Bootstrap.DefaultResamples;

    /// <summary>Bootstrap seed. Default 0.</summary>
    public int BootstrapSeed;

    /// <summary>Worker threads of each fold's evaluation; null = processor count. Results do not depend on it.</summary>
    public int? NumberOfThreads;
}

/// <summary>
/// Evaluates a model over every fold of a protocol: for each fold, fit on the fold's train, rank the fold's candidates
/// for each user with relevant items (the user's earlier items excluded), and pool the (user, fold) units.
/// </summary>
/// <remarks>
/// <b>Memory model.</b> One fold is fitted and evaluated at a time (each fold with <see cref="RankingEvaluator"/>'s
/// model: users streamed, per-worker rows sized once); the model of a fold can be collected before the next fold is
/// fitted. What accumulates is the per-unit results, <c>RankingEvaluator.UnitBytes</c> (228) bytes per (user, fold)
/// unit, which the pooled intervals need. The folds themselves are the caller's: a list built up front holds every
/// fold's train matrix at once (see <see cref="Protocols.RollingBacktest"/>).
/// </remarks>
public static class ProtocolEvaluator
{
    /// <summary>Fits and evaluates fold by fold.</summary>
    /// <param name="protocol">The protocol's name (reported).</param>
    /// <param name="folds">The folds (all of the same candidate policy).</param>
    /// <param name="fit">Fits on a fold and returns its scorer.</param>
    /// <param name="options">Cut-off, bootstrap and threads.</param>
    /// <param name="progress">Optional: reports each finished fold index.</param>
    public static ProtocolEvaluationResult Evaluate(string protocol, IReadOnlyList<EvaluationFold> folds, FoldFit fit,
        ProtocolEvaluationOptions? options = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return EvaluateEach(protocol, folds, new[] { fit }, options, progress)[0];
    }

    /// <summary>
    /// Fits and evaluates several models on the same folds, fold-major: each fold is taken once from
    /// <paramref name="folds"/>, every model is fitted and evaluated on it, and the fold can be released before the
    /// next one is built (see <see cref="LazyFoldList"/>). Each model's result equals what
    /// <see cref="Evaluate"/> gives it alone.
    /// </summary>
    /// <param name="protocol">The protocol's name (reported).</param>
    /// <param name="folds">The folds (all of the same candidate policy).</param>
    /// <param name="fits">One fit per model, called in this order on every fold.</param>
    /// <param name="options">Cut-off, bootstrap and threads.</param>
    /// <param name="progress">Optional: reports each finished fold index (after every model).</param>
    /// <returns>One result per fit, in the order of <paramref name="fits"/>.</returns>
    public static ProtocolEvaluationResult[] EvaluateEach(string protocol, IReadOnlyList<EvaluationFold> folds, IReadOnlyList<FoldFit> fits,
        ProtocolEvaluationOptions? options = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(fits);
        options ??= new ProtocolEvaluationOptions();
        if (options.K < 1) throw new ArgumentOutOfRangeException(nameof(options), options.K, "K must be at least 1.");
        if (options.BootstrapResamples < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BootstrapResamples, "BootstrapResamples must be at least 1.");
        if (folds.Count == 0) throw new ArgumentException("The protocol produced no fold (is the split time after the last event?).", nameof(folds));
        if (fits.Count == 0) throw new ArgumentException("At least one fit is needed.", nameof(fits));
        var policy = folds[0].Policy;
        var results = new List<RankingEvaluationResult>[fits.Count];
        for (int m = 0; m < fits.Count; m++) results[m] = new List<RankingEvaluationResult>(folds.Count);
        for (int f = 0; f < folds.Count; f++)
        {
            var fold = folds[f];
            if (fold.Policy != policy) throw new ArgumentException("Every fold must follow the same candidate policy.", nameof(folds));
            for (int m = 0; m < fits.Count; m++)
                results[m].Add(fold.RelevantPairs == 0 ? Empty(fold, options.K) : EvaluateFold(fold, fits[m](fold), options));
            progress?.Report(fold.Index);
        }
        var pooled = new ProtocolEvaluationResult[fits.Count];
        for (int m = 0; m < fits.Count; m++)
            pooled[m] = new ProtocolEvaluationResult(protocol, policy, options.K, results[m], options.BootstrapResamples, options.BootstrapSeed);
        return pooled;
    }

    /// <summary>Evaluates one fold with a given scorer (candidates and exclusions from the fold).</summary>
    public static RankingEvaluationResult EvaluateFold(EvaluationFold fold, UserScorer scorer, ProtocolEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fold);
        options ??= new ProtocolEvaluationOptions();
        return RankingEvaluator.Evaluate(fold.Dataset.Train, fold.Dataset.Test, scorer, new RankingEvaluationOptions
        {
            K = options.K,
            ExcludeTrainItems = true,
            NumberOfThreads = options.NumberOfThreads,
            Candidates = fold.CandidateMask,
        });
    }

    private static RankingEvaluationResult Empty(EvaluationFold fold, int k) =>
        RankingEvaluator.Evaluate(fold.Dataset.Train, fold.Dataset.Test, static (_, _) => { },
            new RankingEvaluationOptions { K = k, NumberOfThreads = 1, Candidates = fold.CandidateMask });
}
