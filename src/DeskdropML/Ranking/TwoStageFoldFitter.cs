using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Ranking;

/// <summary>
/// Fits the two-stage recommender on the folds of a backtest, in order, without refitting from scratch: the first fold
/// (or any fold that does not continue the previous one, see <see cref="FoldEventCursor"/>) gets a full
/// <see cref="TwoStageTrainer.Fit"/> on its train events; each later fold streams only its new events into the model
/// (<see cref="TwoStageModel.Update"/>), which retrains the ranker every
/// <see cref="TwoStageTrainer.Options.RetrainEveryWindows"/> windows on the latest windows — all before the fold start.
/// </summary>
/// <remarks>
/// The model returned for a fold is the same object advanced further by the next call: use (evaluate) it before fitting
/// the next fold, as <see cref="Evaluation.ProtocolEvaluator"/> does. Never does a fold's model see an event at or after
/// the fold start: the state refuses such events, and every training window ends at or before the fold start.
/// </remarks>
public sealed class TwoStageFoldFitter
{
    private readonly TwoStageTrainer _trainer;
    private readonly FoldEventCursor _cursor = new();
    private TwoStageModel? _model;

    /// <summary>Creates the fitter (the options are validated by <see cref="TwoStageTrainer"/>).</summary>
    public TwoStageFoldFitter(TwoStageTrainer.Options options) => _trainer = new TwoStageTrainer(options);

    /// <summary>Full fits so far (restarts).</summary>
    public int FullFits { get; private set; }

    /// <summary>The model at the fold's start.</summary>
    public TwoStageModel Fit(EvaluationFold fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        bool continues = _cursor.MoveTo(fold, out int firstNew);
        var events = fold.TrainEvents;
        long start = fold.Start!.Value;
        if (!continues || _model is null || _model.Users.Count != fold.Dataset.Users.Count || start < _model.Now)
        {
            _model = _trainer.Fit(fold.Dataset.Users, fold.Dataset.Items, events.Users, events.Items, events.Times, start);
            FullFits++;
            return _model;
        }
        _model.Update(events.Users[firstNew..], events.Items[firstNew..], events.Times[firstNew..], start);
        return _model;
    }
}
