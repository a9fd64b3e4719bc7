namespace DeskdropML.Tuning;

/// <summary>One fitted and validated candidate at one budget.</summary>
/// <param name="Trial">1-based trial number, in execution order.</param>
/// <param name="Rung">Successive-halving rung (0 = first, smallest budget; always 0 for plain random search).</param>
/// <param name="Budget">Budget the candidate was fitted with.</param>
/// <param name="Parameters">The candidate's hyperparameters and seed.</param>
/// <param name="Validation">Metrics on the validation split.</param>
/// <param name="Score">The selection metric's value (from <paramref name="Validation"/>).</param>
/// <param name="FitSeconds">Wall seconds of the fit call.</param>
public sealed record TrialResult(int Trial, int Rung, int Budget, TrialParameters Parameters, SplitMetrics Validation, double Score, double FitSeconds);
