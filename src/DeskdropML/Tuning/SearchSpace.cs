namespace DeskdropML.Tuning;

/// <summary>
/// A set of named hyperparameters to search over. Build it fluently:
/// <code>
/// var space = new SearchSpace()
///     .AddInteger("factors", 8, 128, logScale: true)
///     .AddFloat("learning_rate", 1e-3, 0.3, logScale: true)
///     .AddChoice("loss", "warp", "bpr");
/// </code>
/// A candidate is drawn by sampling every parameter independently, in the order they were added, from one seeded
/// generator, so the same seed gives the same candidates.
/// </summary>
public sealed class SearchSpace
{
    private readonly List<SearchParameter> _parameters = new();

    /// <summary>The parameters in the order they were added.</summary>
    public IReadOnlyList<SearchParameter> Parameters => _parameters;

    /// <summary>Number of parameters.</summary>
    public int Count => _parameters.Count;

    /// <summary>Adds a parameter.</summary>
    /// <exception cref="ArgumentException">A parameter with the same name already exists.</exception>
    public SearchSpace Add(SearchParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        foreach (var p in _parameters)
        {
            if (string.Equals(p.Name, parameter.Name, StringComparison.Ordinal))
                throw new ArgumentException($"The search space already has a parameter named '{parameter.Name}'; names must be unique.", nameof(parameter));
        }
        _parameters.Add(parameter);
        return this;
    }

    /// <summary>Adds an integer range <c>[minimum, maximum]</c> (inclusive); see <see cref="IntegerParameter"/>.</summary>
    public SearchSpace AddInteger(string name, int minimum, int maximum, bool logScale = false) =>
        Add(new IntegerParameter(name, minimum, maximum, logScale));

    /// <summary>Adds a float range <c>[minimum, maximum]</c>; see <see cref="FloatParameter"/>.</summary>
    public SearchSpace AddFloat(string name, double minimum, double maximum, bool logScale = false) =>
        Add(new FloatParameter(name, minimum, maximum, logScale));

    /// <summary>Adds a categorical parameter; see <see cref="ChoiceParameter"/>.</summary>
    public SearchSpace AddChoice<T>(string name, params T[] choices) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(choices);
        var boxed = new object[choices.Length];
        for (int i = 0; i < choices.Length; i++) boxed[i] = choices[i];
        return Add(new ChoiceParameter(name, boxed));
    }

    /// <summary>Draws one candidate: every parameter sampled in order from <paramref name="random"/>.</summary>
    public IReadOnlyDictionary<string, object> Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var values = new Dictionary<string, object>(_parameters.Count, StringComparer.Ordinal);
        foreach (var p in _parameters) values.Add(p.Name, p.Sample(random));
        return values;
    }
}
