using DeskdropML.Recommending;

namespace DeskdropML.Tuning;

/// <summary>
/// The caller's training function: fits one candidate on the given training split with the given budget
/// (epochs, iterations — whatever the caller's trainer counts) and returns the trained model.
/// </summary>
/// <param name="split">Training interactions only (see <see cref="TrainingSplit"/>); the returned model must index
/// users and items by <c>split.Users</c> and <c>split.Items</c>.</param>
/// <param name="parameters">The candidate's hyperparameters and seed.</param>
/// <param name="budget">The budget to train with, between the tuner's minimum and maximum budget.</param>
/// <returns>The trained model.</returns>
/// <example>
/// A trainer with the core API shape plugs in with a few lines:
/// <code>
/// TrialFit fit = (split, p, epochs) => new WarpTrainer(new WarpTrainer.Options
/// {
///     NumberOfComponents = p.GetInt("components"),
///     LearningRate = p.GetFloat("learning_rate"),
///     Epochs = epochs,
///     Seed = p.Seed,
/// }).Fit(split.Train, split.Users, split.Items);
/// </code>
/// </example>
public delegate IRecommenderModel TrialFit(TrainingSplit split, TrialParameters parameters, int budget);
