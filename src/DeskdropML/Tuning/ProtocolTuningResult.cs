using DeskdropML.Evaluation;

namespace DeskdropML.Tuning;

/// <summary>The outcome of tuning on a protocol's validation folds: the search and the selected candidate's test evaluation (with intervals).</summary>
/// <param name="Tuning">The trials, the selected candidate, its validation and pooled test metrics.</param>
/// <param name="Test">The selected candidate evaluated once on every test fold.</param>
public sealed record ProtocolTuningResult(TuningResult Tuning, ProtocolEvaluationResult Test);
