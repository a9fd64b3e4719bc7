using DeskdropML.Sparse;

namespace DeskdropML.Tuning;

/// <summary>
/// What a fit function is given: training interactions only. During the search this is the train part of the
/// carved validation split (the train pairs before the validation cut); for the final model it is the full train
/// split. It never holds the validation or test pairs, so a fit cannot look at what it is evaluated on.
/// </summary>
public sealed class TrainingSplit
{
    private readonly long[] _timestamps;

    /// <summary>Creates a training split.</summary>
    /// <exception cref="ArgumentException">The matrix and maps disagree, or timestamps are not aligned with the entries.</exception>
    public TrainingSplit(CsrMatrix train, IdMap users, IdMap items, ReadOnlySpan<long> timestamps, bool isValidationTrain)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (train.Rows != users.Count || train.Columns != items.Count)
            throw new ArgumentException($"The train matrix is {train.Rows} x {train.Columns} but the maps have {users.Count} users and {items.Count} items.", nameof(train));
        if (!timestamps.IsEmpty && timestamps.Length != train.NonZeroCount)
            throw new ArgumentException($"Got {timestamps.Length} timestamps for {train.NonZeroCount} train entries; give one per entry or none.", nameof(timestamps));
        Train = train;
        Users = users;
        Items = items;
        _timestamps = timestamps.ToArray();
        IsValidationTrain = isValidationTrain;
    }

    /// <summary>User x item training interactions.</summary>
    public CsrMatrix Train { get; }

    /// <summary>Row ids.</summary>
    public IdMap Users { get; }

    /// <summary>Column ids.</summary>
    public IdMap Items { get; }

    /// <summary>Timestamp of every stored train entry (aligned with <c>Train.Values</c>); empty when unknown.</summary>
    public ReadOnlySpan<long> Timestamps => _timestamps;

    /// <summary>True during the search (fit on the validation-train part), false for the final retraining.</summary>
    public bool IsValidationTrain { get; }

    /// <summary>
    /// The protocol fold the split comes from (its train events in time order and its start time), for models that
    /// train on events rather than on the pair matrix (the two-stage recommender); null for the validation split carved
    /// from a single time split. Its test events are the ones the trial is scored on: a fit must read only
    /// <see cref="Evaluation.Protocols.EvaluationFold.TrainEvents"/> and the start time.
    /// </summary>
    public Evaluation.Protocols.EvaluationFold? Fold { get; init; }
}
