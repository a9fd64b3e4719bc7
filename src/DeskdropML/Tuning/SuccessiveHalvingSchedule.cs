namespace DeskdropML.Tuning;

/// <summary>
/// The rungs of successive halving: how many candidates run at which budget.
/// </summary>
/// <remarks>
/// With n candidates, minimum budget r, maximum budget R and reduction factor η: rung i runs
/// <c>n_i = max(1, floor(n / η^i))</c> candidates at budget <c>b_i = r η^i</c>; the rung where
/// <c>r η^(i+1) &gt; R</c> (or where a single candidate is left) runs at exactly R and is the last. Between rungs the
/// best <c>n_(i+1)</c> candidates of rung i (by validation score) go on. Plain random search is the single rung
/// (n, R). Total budget spent = Σ_i n_i b_i, against n R for random search.
/// </remarks>
public sealed class SuccessiveHalvingSchedule
{
    private SuccessiveHalvingSchedule(IReadOnlyList<(int Candidates, int Budget)> rungs) => Rungs = rungs;

    /// <summary>(candidates, budget) of each rung, first to last; the last rung's budget is the maximum.</summary>
    public IReadOnlyList<(int Candidates, int Budget)> Rungs { get; }

    /// <summary>Number of fits the schedule runs.</summary>
    public int TotalTrials => Rungs.Sum(r => r.Candidates);

    /// <summary>Σ candidates × budget over the rungs.</summary>
    public long TotalBudget => Rungs.Sum(r => (long)r.Candidates * r.Budget);

    /// <summary>Plans successive halving (see the remarks).</summary>
    /// <exception cref="ArgumentOutOfRangeException">candidates &lt; 1, minBudget &lt; 1, maxBudget &lt; minBudget or eta &lt; 2.</exception>
    public static SuccessiveHalvingSchedule Halving(int candidates, int minBudget, int maxBudget, int eta)
    {
        Validate(candidates, minBudget, maxBudget);
        if (eta < 2)
            throw new ArgumentOutOfRangeException(nameof(eta), eta, "The reduction factor eta must be at least 2.");
        var rungs = new List<(int, int)>();
        long count = candidates, budget = minBudget;
        while (true)
        {
            bool last = count == 1 || budget * eta > maxBudget || budget >= maxBudget;
            if (last) budget = maxBudget;
            rungs.Add(((int)count, (int)budget));
            if (last) break;
            count = Math.Max(1, count / eta);
            budget *= eta;
        }
        return new SuccessiveHalvingSchedule(rungs);
    }

    /// <summary>Plain random search: every candidate at the maximum budget.</summary>
    /// <exception cref="ArgumentOutOfRangeException">candidates &lt; 1 or maxBudget &lt; 1.</exception>
    public static SuccessiveHalvingSchedule RandomSearch(int candidates, int maxBudget)
    {
        Validate(candidates, 1, maxBudget);
        return new SuccessiveHalvingSchedule(new[] { (candidates, maxBudget) });
    }

    private static void Validate(int candidates, int minBudget, int maxBudget)
    {
        if (candidates < 1)
            throw new ArgumentOutOfRangeException(nameof(candidates), candidates, "The number of candidates (trials) must be at least 1.");
        if (minBudget < 1)
            throw new ArgumentOutOfRangeException(nameof(minBudget), minBudget, "The minimum budget must be at least 1.");
        if (maxBudget < minBudget)
            throw new ArgumentOutOfRangeException(nameof(maxBudget), maxBudget, $"The maximum budget must be at least the minimum budget ({minBudget}).");
    }
}
