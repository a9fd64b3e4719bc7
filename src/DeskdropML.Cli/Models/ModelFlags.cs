using System.CommandLine;

namespace DeskdropML.Cli.Models;

/// <summary>
/// Hyperparameter flags shared by several models. They carry no default here: each model applies its own
/// default when a flag is absent (so <c>--factors</c> means 64 for ALS and 20 for FFM).
/// </summary>
internal sealed class ModelFlags
{
    public readonly Option<int?> Components = new("--components") { Description = "warp: latent dimension (default 10)" };
    public readonly Option<int?> Factors = new("--factors") { Description = "als: factors (default 64); ffm: latent dimension (default 20); svd: factors (default 15)" };
    public readonly Option<int?> Epochs = new("--epochs") { Description = "warp: epochs (default 30)" };
    public readonly Option<int?> Iterations = new("--iterations") { Description = "als: iterations (default 15); ffm: iterations (default 5); svd: power iterations (default 7)" };
    public readonly Option<double?> LearningRate = new("--learning-rate") { Description = "warp: learning rate (default 0.05); ffm: (default 0.1)" };
    public readonly Option<string?> Loss = new("--loss") { Description = "warp: warp | bpr | logistic | kos-warp (default warp)" };
    public readonly Option<string?> Schedule = new("--schedule") { Description = "warp: adagrad | adadelta (default adagrad)" };
    public readonly Option<int?> MaxSampled = new("--max-sampled") { Description = "warp: negatives tried per positive (default 10)" };
    public readonly Option<double?> UserAlpha = new("--user-alpha") { Description = "warp: L2 penalty on user features (default 0)" };
    public readonly Option<double?> ItemAlpha = new("--item-alpha") { Description = "warp: L2 penalty on item features (default 0)" };
    public readonly Option<string?> IdentityFeatures = new("--identity-features") { Description = "warp: on | off — per-user/per-item identity features besides side features (default on)" };
    public readonly Option<string?> NegativeSampling = new("--negative-sampling") { Description = "warp: all (LightFM, default) | train — draw negatives only among items with a train interaction" };
    public readonly Option<double?> Regularization = new("--regularization") { Description = "als: L2 regularization (default 0.01)" };
    public readonly Option<double?> Alpha = new("--alpha") { Description = "als: confidence scale (default 1)" };
    public readonly Option<string?> Confidence = new("--confidence") { Description = "als: one-plus-alpha-r (paper, default) | alpha-r (implicit 0.7)" };
    public readonly Option<string?> Solver = new("--solver") { Description = "als: cg | cholesky (default cg)" };
    public readonly Option<int?> CgSteps = new("--cg-steps") { Description = "als: conjugate-gradient steps per solve (default 3)" };
    public readonly Option<string?> Feedback = new("--feedback") { Description = "als: implicit | explicit (default implicit)" };
    public readonly Option<string?> Weighting = new("--weighting") { Description = "als: none | bm25 | tfidf (default none); itemknn: cosine | tfidf | bm25 (default cosine)" };
    public readonly Option<double?> Bm25K1 = new("--bm25-k1") { Description = "itemknn: BM25 K1 (default 1.2); als: (default 100)" };
    public readonly Option<double?> Bm25B = new("--bm25-b") { Description = "itemknn: BM25 B (default 0.75); als: (default 0.8)" };
    public readonly Option<int?> Neighbors = new("--neighbors") { Description = "itemknn: neighbours K kept per item (default 20)" };
    public readonly Option<double?> EaseLambda = new("--ease-lambda") { Description = "ease: L2 regularization lambda (default 500)" };
    public readonly Option<int?> EaseMaxItems = new("--ease-max-items") { Description = "ease: refuse larger catalogues (default 20000; the dense solve needs 12 n^2 bytes and ~n^3 flops)" };
    public readonly Option<double?> RecencyHalfLifeDays = new("--recency-half-life-days") { Description = "warp, als, svd: multiply each train weight by 0.5^(age / half-life), age measured from the last train interaction; itemknn, ease: the same decay on the user's history only, the similarity is learned undecayed (default: no decay)" };
    public readonly Option<int?> Negatives = new("--negatives") { Description = "ffm: sampled negatives per positive (default 4)" };

    /// <summary>--bm25-k1, or the model's default; must be finite and &gt;= 0.</summary>
    public double Bm25K1Value(ParseResult p, double defaultValue)
    {
        double v = p.GetValue(Bm25K1) ?? defaultValue;
        return float.IsFinite((float)v) && v >= 0 ? v : throw new CliUsageException($"--bm25-k1 must be a finite number >= 0 (got {v})");
    }

    /// <summary>--bm25-b, or the model's default; must be in [0, 1].</summary>
    public double Bm25BValue(ParseResult p, double defaultValue)
    {
        double v = p.GetValue(Bm25B) ?? defaultValue;
        return v is >= 0 and <= 1 ? v : throw new CliUsageException($"--bm25-b must be in [0, 1] (got {v})");
    }

    /// <summary>The train matrix, decayed by --recency-half-life-days when given.</summary>
    public Sparse.CsrMatrix TrainMatrix(ParseResult p, Data.InteractionDataset ds)
    {
        double? days = p.GetValue(RecencyHalfLifeDays);
        if (days is null) return ds.Train;
        if (!(days > 0) || !double.IsFinite(days.Value * 86400.0))
            throw new CliUsageException($"--recency-half-life-days must be a positive, finite number of days (got {days?.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        return Data.RecencyWeighting.Apply(ds.Train, ds.TrainTimestamps, days.Value * 86400.0);
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Components, Factors, Epochs, Iterations, LearningRate, Loss, Schedule, MaxSampled, UserAlpha, ItemAlpha,
                     IdentityFeatures, NegativeSampling, Regularization, Alpha, Confidence, Solver, CgSteps, Feedback, Weighting, Bm25K1, Bm25B,
                     Neighbors, EaseLambda, EaseMaxItems, Negatives, RecencyHalfLifeDays })
            command.Options.Add(o);
    }
}
