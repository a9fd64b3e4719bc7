using DeskdropML.Tuning;

namespace DeskdropML.Cli.Models;

/// <summary>A model <c>deskdrop tune</c> can search: its space, budget range (epochs or iterations) and trial fit.</summary>
internal interface ITunableModel
{
    string Name { get; }

    /// <summary>Name of the budget parameter in the JSON (epochs, iterations).</summary>
    string BudgetName { get; }

    int MinBudget { get; }

    int MaxBudget { get; }

    SearchSpace Space { get; }

    TrialFit TrialFit(int threads);
}
