namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// An evaluation protocol: splits an <see cref="InteractionHistory"/> into folds of (train, relevant pairs,
/// candidates). Test folds measure; validation folds (built from data strictly before or apart from the test
/// period, never from a test fold's relevant pairs) are what a tuner may select on.
/// </summary>
public interface IEvaluationProtocol
{
    /// <summary>The protocol's name on the command line (<c>time</c>, <c>backtest</c>, <c>user-holdout</c>, <c>leave-last</c>, <c>kfold</c>).</summary>
    string Name { get; }

    /// <summary>The folds whose metrics are reported.</summary>
    IReadOnlyList<EvaluationFold> TestFolds(InteractionHistory history, CandidatePolicy candidates);

    /// <summary>The folds a tuner selects on: built only from what the test folds may train on.</summary>
    IReadOnlyList<EvaluationFold> ValidationFolds(InteractionHistory history, CandidatePolicy candidates);
}
