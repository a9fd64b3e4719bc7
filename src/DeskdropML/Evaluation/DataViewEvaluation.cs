using DeskdropML.Evaluation.Protocols;
using DeskdropML.Persistence;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Evaluation;

/// <summary>
/// Evaluates a fitted DeskdropML ML.NET model on train and test <see cref="IDataView"/>s, with the project's
/// evaluation contract (<c>mlContext.Recommenders().Evaluate(...)</c>).
/// </summary>
/// <remarks>
/// <para><b>Ids.</b> Both views are read with the id rules of the estimators (text, any integer type or key columns
/// with key values); give the columns that hold the <em>original</em> ids (for a <c>MapValueToKey</c> pipeline, the
/// text columns before the mapping, or key columns whose mapping knows every id). A model's ids are those strings.</para>
/// <para><b>Units and maps.</b> Users = the model's users, then the other users of the views (ordinal order); items
/// likewise. A test user unknown to the model, or without training interactions, is cold and ranked by the
/// popularity fallback computed from the train view (distinct users per item). Items unknown to the
/// model score NaN (ranked last).</para>
/// <para><b>Relevance and candidates.</b> A user's relevant items are their test items minus their train items
/// (earlier items are neither ranked nor relevant). Candidates follow the policy:
/// <see cref="CandidatePolicy.Seen"/> (default) = items with a train row; <see cref="CandidatePolicy.Catalog"/> =
/// items of train ∪ test (the notebook's leaky catalogue). Test pairs on non-candidate items are not counted as
/// misses; they are reported in <see cref="DataViewEvaluationResult.PairsOutsideCandidates"/>, so every test pair
/// is accounted for. <see cref="CandidatePolicy.Available"/> needs article times and is not offered here.</para>
/// <para><b>Memory model</b> (U users, I items, n train + test pairs, T threads): the two views read into sparse
/// matrices, <c>O(n)</c> (about 40 bytes per pair while they are built and remapped), the id maps, the candidate mask
/// <c>I</c> bytes, and then <see cref="RankingEvaluator"/>'s model (streamed users, per-worker rows, per-user results).
/// Nothing is users × items.</para>
/// </remarks>
public static class DataViewEvaluation
{
    /// <summary>Evaluates <paramref name="model"/> (see the remarks for the contract).</summary>
    /// <param name="model">A transformer (or chain) fitted by a DeskdropML estimator, or loaded from its zip.</param>
    /// <param name="trainData">The rows the model was trained on (exclusions, warm users, popularity fallback).</param>
    /// <param name="testData">The held-out rows; every row is a relevant (user, item) pair.</param>
    /// <param name="k">Cut-off (≥ 1).</param>
    /// <param name="candidates">Candidate policy (<c>Seen</c> or <c>Catalog</c>).</param>
    /// <param name="userIdColumnName">User id column of both views; default: the model's user id column.</param>
    /// <param name="itemIdColumnName">Item id column of both views; default: the model's item id column.</param>
    /// <param name="bootstrapResamples">Resamples of the 95% intervals.</param>
    /// <param name="numberOfThreads">Scoring threads; null = processor count. Results do not depend on it.</param>
    public static DataViewEvaluationResult Evaluate(ITransformer model, IDataView trainData, IDataView testData, int k = 10,
        CandidatePolicy candidates = CandidatePolicy.Seen, string? userIdColumnName = null, string? itemIdColumnName = null,
        int bootstrapResamples = Bootstrap.DefaultResamples, int? numberOfThreads = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(testData);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (candidates == CandidatePolicy.Available)
            throw new ArgumentException("The 'available' policy needs article sharing times; evaluate it with the protocol API (InteractionHistory + RollingBacktest).", nameof(candidates));
        var stored = model.GetFactorizationModel();
        string userColumn = userIdColumnName ?? stored.UserIdColumnName;
        string itemColumn = itemIdColumnName ?? stored.ItemIdColumnName;
        var train = DataViewInteractions.Read(trainData, userColumn, itemColumn, labelColumnName: null);
        var test = DataViewInteractions.Read(testData, userColumn, itemColumn, labelColumnName: null);

        var users = Extend(stored.Users, train.Users, test.Users);
        var items = Extend(stored.Items, train.Items, test.Items);
        var trainMatrix = Remap(train, users, items);
        var allTest = Remap(test, users, items);

        var isCandidate = new bool[items.Count];
        foreach (int c in trainMatrix.ColumnIndices) isCandidate[c] = true;
        if (candidates == CandidatePolicy.Catalog) foreach (int c in allTest.ColumnIndices) isCandidate[c] = true;

        // Relevant = test pairs minus the user's train items, on candidates only; the rest is counted.
        var rows = new List<int>(); var cols = new List<int>(); var vals = new List<float>();
        int earlier = 0, outside = 0;
        for (int u = 0; u < allTest.Rows; u++)
            foreach (int i in allTest.RowIndices(u))
            {
                if (trainMatrix.Contains(u, i)) { earlier++; continue; }
                if (!isCandidate[i]) { outside++; continue; }
                rows.Add(u); cols.Add(i); vals.Add(1f);
            }
        var relevant = CsrMatrix.FromTriplets(users.Count, items.Count, rows.ToArray(), cols.ToArray(), vals.ToArray());

        var scorer = new ColdUserFallbackModel(new ExtendedModel(stored, users, items), trainMatrix);
        var result = RankingEvaluator.Evaluate(trainMatrix, relevant, scorer.ScoreItems, new RankingEvaluationOptions
        {
            K = k,
            ExcludeTrainItems = true,
            NumberOfThreads = numberOfThreads,
            Candidates = isCandidate,
        });
        int unknownUsers = 0;
        for (int u = stored.Users.Count; u < users.Count; u++) if (relevant.RowLength(u) > 0) unknownUsers++;
        var metrics = ProtocolEvaluationResult.FromFolds("time", candidates, k, new[] { result }, bootstrapResamples);
        return new DataViewEvaluationResult(metrics, allTest.NonZeroCount, relevant.NonZeroCount, earlier, outside, unknownUsers);
    }

    /// <summary>The model's ids in its order, then the other ids of the views in ordinal order.</summary>
    private static IdMap Extend(IdMap model, IdMap a, IdMap b)
    {
        var extra = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in a.Ids) if (!model.Contains(id)) extra.Add(id);
        foreach (var id in b.Ids) if (!model.Contains(id)) extra.Add(id);
        return extra.Count == 0 ? model : new IdMap(model.Ids.Concat(extra));
    }

    private static CsrMatrix Remap(InteractionMatrix data, IdMap users, IdMap items)
    {
        var m = data.Matrix;
        var rows = new int[m.NonZeroCount]; var cols = new int[m.NonZeroCount]; var vals = new float[m.NonZeroCount];
        int p = 0;
        for (int u = 0; u < m.Rows; u++)
        {
            int user = users.IndexOf(data.Users[u]);
            foreach (int i in m.RowIndices(u)) { rows[p] = user; cols[p] = items.IndexOf(data.Items[i]); vals[p] = 1f; p++; }
        }
        return CsrMatrix.FromTriplets(users.Count, items.Count, rows, cols, vals);
    }

    /// <summary>The stored model over maps that extend its own: unknown users score nothing (they are cold), unknown items NaN.</summary>
    private sealed class ExtendedModel(StoredFactorizationModel model, IdMap users, IdMap items) : IRecommenderModel
    {
        public IdMap Users => users;

        public IdMap Items => items;

        public void ScoreItems(int userIndex, Span<float> scores)
        {
            int known = model.Items.Count;
            if (userIndex < model.Users.Count) model.ScoreItems(userIndex, scores[..known]);
            scores[known..].Fill(float.NaN);
        }
    }
}

/// <summary>
/// The result of <see cref="DataViewEvaluation.Evaluate"/>: the metrics with the same fields and intervals as
/// <c>deskdrop evaluate</c>, and where every test pair went.
/// </summary>
/// <param name="Metrics">Means, 95% intervals, random expectation, cold share, warm-only and new-only metrics.</param>
/// <param name="TestPairs">Distinct (user, item) pairs of the test view.</param>
/// <param name="RelevantPairs">Pairs evaluated as relevant.</param>
/// <param name="PairsOnEarlierItems">Test pairs the user already had in train (neither ranked nor relevant).</param>
/// <param name="PairsOutsideCandidates">Test pairs on items outside the candidates (not counted as misses).</param>
/// <param name="UnknownUsers">Evaluated users the model does not know (ranked by the popularity fallback).</param>
public sealed record DataViewEvaluationResult(ProtocolEvaluationResult Metrics, int TestPairs, int RelevantPairs, int PairsOnEarlierItems,
    int PairsOutsideCandidates, int UnknownUsers);
