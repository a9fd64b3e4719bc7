namespace DeskdropML.Tuning;

/// <summary>Reported after each finished trial.</summary>
/// <param name="Trial">1-based number of the finished trial.</param>
/// <param name="TotalTrials">Number of trials the schedule runs (known in advance).</param>
/// <param name="Rung">Successive-halving rung of the trial (0 for plain random search).</param>
/// <param name="Budget">Budget the trial was fitted with.</param>
/// <param name="Parameters">The candidate's parameters.</param>
/// <param name="ValidationScore">The trial's value of the selection metric.</param>
/// <param name="BestValidationScore">The best value of the selection metric so far among the trials of the same rung.</param>
public sealed record TuningProgress(int Trial, int TotalTrials, int Rung, int Budget, TrialParameters Parameters, double ValidationScore, double BestValidationScore);
