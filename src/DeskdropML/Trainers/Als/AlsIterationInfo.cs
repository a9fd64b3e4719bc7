namespace DeskdropML.Trainers.Als;

/// <summary>Progress report after one ALS iteration (a user half-step followed by an item half-step).</summary>
/// <param name="Iteration">1-based iteration number.</param>
/// <param name="Seconds">Wall time of the two half-steps of this iteration (the objective evaluation excluded).</param>
/// <param name="Objective">The training objective after the iteration (see <see cref="AlsModelParameters"/>), including
/// the regularization term; computed only because a progress sink was given.</param>
public readonly record struct AlsIterationInfo(int Iteration, double Seconds, double Objective);
