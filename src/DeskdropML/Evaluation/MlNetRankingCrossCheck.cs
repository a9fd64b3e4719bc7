using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Evaluation;

/// <summary>
/// Runs ML.NET's <c>mlContext.Ranking.Evaluate</c> on the same ranked lists as <see cref="RankingEvaluator"/>, so the
/// two NDCG@k values can be set side by side (the notebook's metric cross-check).
/// </summary>
/// <remarks>
/// For every evaluated user (≥ 1 test item) ML.NET receives one group: the user's top-k items (train items excluded
/// as configured) with strictly decreasing scores k, k − 1, …, 1, then the user's relevant items that are not in the
/// top k with score 0, label 1 for relevant and 0 otherwise, <c>LabelGains = "0,1"</c> and
/// <c>DcgTruncationLevel = k</c>. With those rows ML.NET's IDCG@k covers min(k, |T_u|) relevant items and its DCG@k
/// covers exactly our top k, so the two NDCG@k agree up to floating point (ML.NET's natural-log discount cancels in
/// the ratio). Differences in definition that remain, by design: ML.NET ranks by score and breaks ties
/// pessimistically (not an issue here, the scores are distinct), counts a group with no relevant item as 0 (no such
/// group is given), and does not report precision or recall at all. If a user has fewer than k candidates, the
/// appended relevant rows could enter ML.NET's top k; the result reports how many users had short lists.
/// </remarks>
public static class MlNetRankingCrossCheck
{
    /// <summary>Evaluates with both implementations.</summary>
    /// <param name="train">User x item train matrix (items excluded from candidates when <paramref name="excludeTrainItems"/>).</param>
    /// <param name="test">User x item test matrix.</param>
    /// <param name="scorer">Scores every item for a user.</param>
    /// <param name="k">Cut-off.</param>
    /// <param name="excludeTrainItems">Remove train items from the candidates (default true).</param>
    public static RankingCrossCheckResult Run(CsrMatrix train, CsrMatrix test, UserScorer scorer, int k = 10, bool excludeTrainItems = true)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var ours = RankingEvaluator.Evaluate(train, test, scorer, new RankingEvaluationOptions { K = k, ExcludeTrainItems = excludeTrainItems, NumberOfThreads = 1 });

        var rows = new List<Row>();
        var scores = new float[test.Columns];
        var excluded = new bool[test.Columns];
        var top = new int[k];
        var topScores = new float[k];
        int groups = 0, shortLists = 0;
        for (int u = 0; u < test.Rows; u++)
        {
            var relevant = test.RowIndices(u);
            if (relevant.Length == 0) continue;
            groups++;
            scorer(u, scores);
            if (excludeTrainItems) foreach (int i in train.RowIndices(u)) excluded[i] = true;
            int n = TopK.Select(scores, k, top, topScores, excludeTrainItems ? excluded : default);
            if (excludeTrainItems) foreach (int i in train.RowIndices(u)) excluded[i] = false;
            if (n < k) shortLists++;
            var inTop = new HashSet<int>();
            for (int r = 0; r < n; r++)
            {
                inTop.Add(top[r]);
                rows.Add(new Row { GroupId = (uint)groups, Label = relevant.BinarySearch(top[r]) >= 0 ? 1f : 0f, Score = k - r });
            }
            foreach (int i in relevant)
                if (!inTop.Contains(i)) rows.Add(new Row { GroupId = (uint)groups, Label = 1f, Score = 0f });
        }
        if (groups == 0)
            throw new ArgumentException("The test matrix has no user with a test item; there is nothing to cross-check.", nameof(test));

        var ml = new MLContext(seed: 0);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.GroupId)].ColumnType = new KeyDataViewType(typeof(uint), groups);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var metrics = ml.Ranking.Evaluate(data, new RankingEvaluatorOptions { DcgTruncationLevel = k, LabelGains = "0,1" },
            labelColumnName: nameof(Row.Label), rowGroupColumnName: nameof(Row.GroupId), scoreColumnName: nameof(Row.Score));
        return new RankingCrossCheckResult(ours, metrics.NormalizedDiscountedCumulativeGains[k - 1], groups, shortLists);
    }

    private sealed class Row
    {
        public uint GroupId { get; set; }
        public float Label { get; set; }
        public float Score { get; set; }
    }
}

/// <summary>Our metrics next to ML.NET's NDCG@k on the same ranked lists.</summary>
/// <param name="Ours">Our evaluation (precision, recall, NDCG, MAP at k).</param>
/// <param name="MlNetNdcg">ML.NET <c>Ranking.Evaluate</c> NDCG@k (mean over groups).</param>
/// <param name="Groups">Users given to ML.NET.</param>
/// <param name="ShortLists">Users with fewer than k candidates (0 on the Deskdrop benchmarks).</param>
public sealed record RankingCrossCheckResult(RankingEvaluationResult Ours, double MlNetNdcg, int Groups, int ShortLists)
{
    /// <summary>|our NDCG − ML.NET NDCG|.</summary>
    public double NdcgDifference => Math.Abs(Ours.Ndcg - MlNetNdcg);
}
