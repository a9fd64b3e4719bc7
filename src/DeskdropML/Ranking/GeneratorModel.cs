using DeskdropML.Evaluation.Protocols;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Ranking;

/// <summary>A stage-1 generator used alone as a recommender.</summary>
public enum GeneratorKind
{
    /// <summary>Co-read "read next": summed co-read cosine with the user's recent items; items without co-reads follow in recency order.</summary>
    CoRead,

    /// <summary>Newest first: items by the time of their first event, latest first.</summary>
    Fresh,

    /// <summary>Trend: the shortest half-life's event rate over the longest one's (see <see cref="FeatureGroups.Trend"/>), ties by recency.</summary>
    Trend,

    /// <summary>Neighbour freshness: recent reads by users who read what the user read, weighted by similarity (see <see cref="RankingSnapshot.NeighbourScores"/>); other items follow in recency order.</summary>
    Neighbours,
}

/// <summary>
/// One candidate generator as a model of its own, fitted fold after fold by streaming the new events into a
/// <see cref="FreshnessState"/> (the component-alone rows of the backtest tables).
/// </summary>
public sealed class GeneratorModel
{
    private readonly GeneratorKind _kind;
    private readonly FreshnessState.Options _freshness;
    private readonly CandidateOptions _candidates;
    private readonly FoldEventCursor _cursor = new();
    private FreshnessState? _state;

    /// <summary>Creates the generator model.</summary>
    public GeneratorModel(GeneratorKind kind, FreshnessState.Options? freshness = null, CandidateOptions? candidates = null)
    {
        _kind = kind;
        _freshness = (freshness ?? new FreshnessState.Options()).Clone();
        _candidates = (candidates ?? new CandidateOptions()).Clone();
        _candidates.Validate(new FreshnessState(0, 0, _freshness));
    }

    /// <summary>The scorer at the fold start (valid until the next call).</summary>
    public IRecommenderModel Fit(EvaluationFold fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        bool continues = _cursor.MoveTo(fold, out int first);
        var e = fold.TrainEvents;
        if (!continues || _state is null) { _state = new FreshnessState(fold.Dataset.Users.Count, fold.Dataset.Items.Count, _freshness); first = 0; }
        _state.Advance(e.Users[first..], e.Items[first..], e.Times[first..], fold.Start!.Value);
        return new Scorer(fold.Dataset.Users, fold.Dataset.Items, new RankingSnapshot(_state, _state.Now, _candidates), _kind);
    }

    private sealed class Scorer(IdMap users, IdMap items, RankingSnapshot snapshot, GeneratorKind kind) : IRecommenderModel
    {
        public IdMap Users => users;
        public IdMap Items => items;

        public void ScoreItems(int userIndex, Span<float> scores)
        {
            for (int i = 0; i < scores.Length; i++)
                scores[i] = !snapshot.IsSeen(i) ? float.NegativeInfinity : kind switch
                {
                    GeneratorKind.Fresh => -snapshot.FreshRank(i),
                    GeneratorKind.Trend => (float)snapshot.Trend(i) - 1e-6f * snapshot.RecencyRank(i),
                    _ => -1e6f - snapshot.RecencyRank(i),
                };
            if (kind == GeneratorKind.CoRead)
                foreach (var (i, s) in snapshot.CoReadScores(userIndex).Scores) if (snapshot.IsSeen(i)) scores[i] = s.Sum;
            if (kind == GeneratorKind.Neighbours)
                foreach (var (i, s) in snapshot.NeighbourScores(userIndex).Scores) scores[i] = s.Recency;
        }
    }
}
