using DeskdropML.Data;
using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Tests.Evaluation.Protocols;

/// <summary>Hand-made logs whose folds are computed by hand in the tests.</summary>
internal static class TinyLogs
{
    /// <summary>A log from (time, user, item) rows in file order, strength 1 each.</summary>
    public static InteractionLog Log(params (long Time, string User, string Item)[] rows)
    {
        var report = new LoadReport("tiny.csv", rows.Length, rows.Length, new Dictionary<string, long>());
        return new InteractionLog(rows.Select(r => r.User).ToArray(), rows.Select(r => r.Item).ToArray(),
            rows.Select(r => r.Time).ToArray(), rows.Select(_ => 1f).ToArray(), report);
    }

    /// <summary>
    /// Two folds of 100 s from t = 1000 (file order deliberately not time order):
    /// before 1000: u1 A (100), u2 A (200), u1 B (300), u3 C (400);
    /// fold [1000, 1100): u1 C, u2 B, u2 A (earlier item), u3 D (D first seen here);
    /// fold [1100, 1200): u1 D, u3 E (E first seen here).
    /// </summary>
    public static InteractionLog Backtest() => Log(
        (300, "u1", "B"), (100, "u1", "A"), (200, "u2", "A"), (400, "u3", "C"),
        (1000, "u1", "C"), (1050, "u2", "B"), (1060, "u2", "A"), (1070, "u3", "D"),
        (1150, "u3", "E"), (1100, "u1", "D"));

    /// <summary>
    /// Articles: D shared at 900; E shared at 1120 (after the second fold's start); F shared at 500 and removed at 800;
    /// G shared at 950 and never read; H shared without a timestamp is simply absent here.
    /// </summary>
    public static ArticleAvailability Articles() => new(
        new Dictionary<string, long> { ["D"] = 900, ["E"] = 1120, ["F"] = 500, ["G"] = 950 },
        new Dictionary<string, long> { ["F"] = 800 });

    public static RollingBacktest TwoFolds(int validationFolds = 1) => new(new RollingBacktest.Options
    {
        SplitTime = 1000,
        FoldDays = 100 / 86400.0,
        ValidationFolds = validationFolds,
    });

    /// <summary>Relevant items of every user of a fold, as "user:item" strings.</summary>
    public static string[] Relevant(EvaluationFold fold)
    {
        var ds = fold.Dataset;
        var list = new List<string>();
        for (int u = 0; u < ds.Test.Rows; u++)
            foreach (int i in ds.Test.RowIndices(u)) list.Add($"{ds.Users[u]}:{ds.Items[i]}");
        return list.ToArray();
    }

    /// <summary>Train pairs of a fold, as "user:item" strings.</summary>
    public static string[] TrainPairs(EvaluationFold fold)
    {
        var ds = fold.Dataset;
        var list = new List<string>();
        for (int u = 0; u < ds.Train.Rows; u++)
            foreach (int i in ds.Train.RowIndices(u)) list.Add($"{ds.Users[u]}:{ds.Items[i]}");
        return list.ToArray();
    }

    /// <summary>Candidate item ids of a fold.</summary>
    public static string[] Candidates(EvaluationFold fold)
    {
        var list = new List<string>();
        for (int i = 0; i < fold.Candidates.Length; i++) if (fold.Candidates[i]) list.Add(fold.Dataset.Items[i]);
        return list.ToArray();
    }
}
