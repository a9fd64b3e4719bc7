using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model random</c>: a uniformly random ranking, seeded per (seed, fold, user, item) so that runs repeat. Its
/// exact expectation is reported beside every evaluation anyway (<c>"random"</c>); this model is the sampled
/// counterpart, useful as the reference of a paired comparison.
/// </summary>
internal sealed class RandomModelSpec : ModelSpec
{
    public override string Name => "random";

    public override void AddOptions(Command command) { }

    public override FittedModel Fit(FitRequest request)
    {
        var ds = request.Dataset;
        ulong salt = unchecked((ulong)request.Seed * 0x9E3779B97F4A7C15UL + (ulong)(request.Fold?.Index ?? 0) * 0xBF58476D1CE4E5B9UL);
        void Score(int user, Span<float> scores)
        {
            for (int i = 0; i < scores.Length; i++)
                scores[i] = (float)(Mix(salt ^ ((ulong)user << 32 | (uint)i)) >> 40) / (1 << 24);
        }
        return new FittedModel(new ScorerModel(ds.Users, ds.Items, Score), Score, new JsonObject { ["seed"] = request.Seed }, 0);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>A scorer presented as a model (for models that exist only as a scoring function).</summary>
internal sealed class ScorerModel(Sparse.IdMap users, Sparse.IdMap items, Evaluation.UserScorer scorer) : Recommending.IRecommenderModel
{
    public Sparse.IdMap Users => users;

    public Sparse.IdMap Items => items;

    public void ScoreItems(int userIndex, Span<float> scores) => scorer(userIndex, scores);
}
