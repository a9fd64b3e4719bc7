using System.CommandLine;
using System.Text.Json.Nodes;
using DeskdropML.Evaluation;
using DeskdropML.Recommending;

namespace DeskdropML.Cli.Models;

/// <summary>A model the command line can fit: its flags and how to fit it on a loaded dataset.</summary>
internal abstract class ModelSpec
{
    /// <summary>The value of <c>--model</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Adds this model's flags to a command.</summary>
    public abstract void AddOptions(Command command);

    /// <summary>Fits on the dataset's train split.</summary>
    public abstract FittedModel Fit(FitRequest request);
}

/// <summary>What a model is fitted on, with the shared settings.</summary>
/// <param name="Fold">The protocol fold being fitted (null for the notebook split of train/evaluate): its start is "now"
/// and its train events are the raw history a time-aware model may use.</param>
internal sealed record FitRequest(LoadedData Data, ParseResult Parsed, Output Output, int Seed, int Threads, Evaluation.Protocols.EvaluationFold? Fold = null)
{
    public Data.InteractionDataset Dataset => Data.Dataset;
}

/// <summary>A fitted model, the scorer the evaluator uses (with any cold-user fallback) and its parameters.</summary>
internal sealed record FittedModel(IRecommenderModel Model, UserScorer Scorer, JsonObject Parameters, double FitSeconds);
