using DeskdropML.Catalog;
using DeskdropML.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML;

/// <summary><c>mlContext.Recommenders().Trainers.TwoStage(...)</c>.</summary>
public static class TwoStageCatalogExtensions
{
    /// <summary>The two-stage recommender (freshness generators + LightGBM LambdaRank) with the settings chosen on Deskdrop's validation folds.</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="windowHours">Length of a training window = the period recommendations are for. Default 24.</param>
    /// <param name="trainingDays">Days of windows before now the ranker learns from. Default 28.</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="timestampColumnName">Event time column (Unix seconds; Int64, Double or Single).</param>
    /// <param name="seed">Seed of the ranker and of the group sampling. Default 1.</param>
    public static TwoStageEstimator TwoStage(this RecommendationTrainers trainers, double windowHours = 24, double trainingDays = 28,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string timestampColumnName = "Timestamp", int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        if (!(windowHours > 0)) throw new ArgumentOutOfRangeException(nameof(windowHours), windowHours, "windowHours must be > 0.");
        if (!(trainingDays > 0)) throw new ArgumentOutOfRangeException(nameof(trainingDays), trainingDays, "trainingDays must be > 0.");
        var options = new TwoStageTrainer.Options
        {
            WindowHours = windowHours,
            TrainingWindows = Math.Max(1, (int)Math.Round(trainingDays * 24 / windowHours)),
            Seed = seed,
            Ranker = new LambdaRankTrainer.Options { Seed = seed },
        };
        return new TwoStageEstimator(options, userIdColumnName, itemIdColumnName, timestampColumnName);
    }

    /// <summary>The two-stage recommender with every option.</summary>
    /// <param name="trainers">The catalog.</param>
    /// <param name="options">All options.</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="timestampColumnName">Event time column (Unix seconds).</param>
    public static TwoStageEstimator TwoStage(this RecommendationTrainers trainers, TwoStageTrainer.Options options,
        string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string timestampColumnName = "Timestamp")
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new TwoStageEstimator(options, userIdColumnName, itemIdColumnName, timestampColumnName);
    }
}

/// <summary>
/// Fits the two-stage recommender from an ML.NET data view of events (one row per event: user id, item id, time).
/// The result is a <see cref="TwoStageModel"/>: <c>Recommend(user, now, k)</c>, <c>Update</c> with new events, and
/// <c>Save</c> to one zip (an ML.NET model holding the ranker, plus the generators' state as an extra entry).
/// </summary>
public sealed class TwoStageEstimator
{
    private readonly TwoStageTrainer _trainer;
    private readonly string _user, _item, _time;

    /// <summary>Creates the estimator (options validated by <see cref="TwoStageTrainer"/>).</summary>
    public TwoStageEstimator(TwoStageTrainer.Options options, string userIdColumnName = "UserId", string itemIdColumnName = "ItemId", string timestampColumnName = "Timestamp")
    {
        _trainer = new TwoStageTrainer(options);
        _user = userIdColumnName;
        _item = itemIdColumnName;
        _time = timestampColumnName;
    }

    /// <summary>
    /// Fits on the events before <paramref name="now"/> (default: one second after the last event). Users and items are
    /// those of the rows, ids in ordinal order; events are sorted by time (ties in row order).
    /// </summary>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type.</exception>
    public TwoStageModel Fit(IDataView events, long? now = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        var (users, items, times) = Read(events);
        var userMap = new Sparse.IdMap(users.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var itemMap = new Sparse.IdMap(items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        long t = now ?? (times.Count == 0 ? 0 : times.Max() + 1);
        var order = Enumerable.Range(0, times.Count).Where(r => times[r] < t).OrderBy(r => times[r]).ThenBy(r => r).ToArray();
        var eu = order.Select(r => userMap.IndexOf(users[r])).ToArray();
        var ei = order.Select(r => itemMap.IndexOf(items[r])).ToArray();
        var et = order.Select(r => times[r]).ToArray();
        return _trainer.Fit(userMap, itemMap, eu, ei, et, t);
    }

    private (List<string>, List<string>, List<long>) Read(IDataView view)
    {
        var schema = view.Schema;
        var u = schema.GetColumnOrNull(_user) ?? throw new ArgumentException($"No column '{_user}'.", nameof(view));
        var i = schema.GetColumnOrNull(_item) ?? throw new ArgumentException($"No column '{_item}'.", nameof(view));
        var t = schema.GetColumnOrNull(_time) ?? throw new ArgumentException($"No column '{_time}'.", nameof(view));
        if (u.Type is not TextDataViewType || i.Type is not TextDataViewType)
            throw new ArgumentException($"'{_user}' and '{_item}' must be text columns.", nameof(view));
        var users = new List<string>(); var items = new List<string>(); var times = new List<long>();
        using var cursor = view.GetRowCursor(new[] { u, i, t });
        var getU = cursor.GetGetter<ReadOnlyMemory<char>>(u);
        var getI = cursor.GetGetter<ReadOnlyMemory<char>>(i);
        Func<long> getT = t.Type switch
        {
            var x when x == NumberDataViewType.Int64 => Getter<long>(cursor, t, v => v),
            var x when x == NumberDataViewType.Double => Getter<double>(cursor, t, v => (long)v),
            var x when x == NumberDataViewType.Single => Getter<float>(cursor, t, v => (long)v),
            _ => throw new ArgumentException($"'{_time}' must be Int64, Double or Single (Unix seconds).", nameof(view)),
        };
        ReadOnlyMemory<char> a = default, b = default;
        while (cursor.MoveNext())
        {
            getU(ref a); getI(ref b);
            users.Add(a.ToString()); items.Add(b.ToString()); times.Add(getT());
        }
        return (users, items, times);
    }

    private static Func<long> Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, long> convert)
    {
        var get = cursor.GetGetter<T>(column);
        return () => { T v = default!; get(ref v); return convert(v); };
    }
}
