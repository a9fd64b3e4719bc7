using System.Globalization;

namespace DeskdropML.Tuning;

/// <summary>
/// One named dimension of a <see cref="SearchSpace"/>: an integer range, a float range (uniform or log-uniform)
/// or a list of categorical choices. <see cref="Sample"/> draws a value from it with the tuner's seeded generator.
/// </summary>
public abstract class SearchParameter
{
    /// <summary>Creates a parameter with a non-empty name.</summary>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    protected SearchParameter(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A search parameter needs a non-empty name.", nameof(name));
        Name = name;
    }

    /// <summary>The parameter's name (the key in <see cref="TrialParameters"/> and in the JSON result).</summary>
    public string Name { get; }

    /// <summary>Draws one value: an <see cref="int"/>, a <see cref="double"/> or the chosen object.</summary>
    public abstract object Sample(Random random);

    /// <summary>A short description of the domain, for messages and logs.</summary>
    public abstract string Describe();
}

/// <summary>
/// Integers in <c>[Minimum, Maximum]</c> (both inclusive). Uniform: every integer has probability
/// <c>1 / (Maximum - Minimum + 1)</c>. Log-uniform (requires <c>Minimum ≥ 1</c>): <c>floor(exp(U(ln Minimum, ln(Maximum + 1))))</c>,
/// so small values are as likely per octave as large ones (useful for latent dimensions).
/// </summary>
public sealed class IntegerParameter : SearchParameter
{
    /// <summary>Creates an integer range.</summary>
    /// <exception cref="ArgumentException">Minimum &gt; Maximum, or log scale with Minimum &lt; 1.</exception>
    public IntegerParameter(string name, int minimum, int maximum, bool logScale = false) : base(name)
    {
        if (minimum > maximum)
            throw new ArgumentException($"Integer parameter '{name}': minimum {minimum} is above maximum {maximum}; the range must be non-empty.", nameof(minimum));
        if (logScale && minimum < 1)
            throw new ArgumentException($"Integer parameter '{name}': a log-scale range needs minimum >= 1 (got {minimum}).", nameof(minimum));
        Minimum = minimum;
        Maximum = maximum;
        LogScale = logScale;
    }

    /// <summary>Smallest value (inclusive).</summary>
    public int Minimum { get; }

    /// <summary>Largest value (inclusive).</summary>
    public int Maximum { get; }

    /// <summary>True to sample log-uniformly.</summary>
    public bool LogScale { get; }

    /// <inheritdoc />
    public override object Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!LogScale) return (int)(Minimum + (long)Math.Floor(random.NextDouble() * ((long)Maximum - Minimum + 1)));
        double lo = Math.Log(Minimum), hi = Math.Log((double)Maximum + 1);
        int v = (int)Math.Floor(Math.Exp(lo + random.NextDouble() * (hi - lo)));
        return Math.Clamp(v, Minimum, Maximum);
    }

    /// <inheritdoc />
    public override string Describe() => $"int [{Minimum}, {Maximum}]{(LogScale ? " log" : "")}";
}

/// <summary>
/// Real numbers in <c>[Minimum, Maximum]</c>. Uniform: <c>Minimum + U(0, 1) (Maximum - Minimum)</c>. Log-uniform
/// (requires <c>Minimum &gt; 0</c>): <c>exp(U(ln Minimum, ln Maximum))</c>, the usual choice for learning rates and
/// regularization strengths.
/// </summary>
public sealed class FloatParameter : SearchParameter
{
    /// <summary>Creates a float range.</summary>
    /// <exception cref="ArgumentException">A bound is not finite, Minimum &gt; Maximum, or log scale with Minimum ≤ 0.</exception>
    public FloatParameter(string name, double minimum, double maximum, bool logScale = false) : base(name)
    {
        if (!double.IsFinite(minimum) || !double.IsFinite(maximum))
            throw new ArgumentException($"Float parameter '{name}': bounds must be finite (got {minimum}, {maximum}).", nameof(minimum));
        if (minimum > maximum)
            throw new ArgumentException($"Float parameter '{name}': minimum {minimum} is above maximum {maximum}; the range must be non-empty.", nameof(minimum));
        if (logScale && minimum <= 0)
            throw new ArgumentException($"Float parameter '{name}': a log-scale range needs minimum > 0 (got {minimum}).", nameof(minimum));
        Minimum = minimum;
        Maximum = maximum;
        LogScale = logScale;
    }

    /// <summary>Smallest value.</summary>
    public double Minimum { get; }

    /// <summary>Largest value.</summary>
    public double Maximum { get; }

    /// <summary>True to sample log-uniformly.</summary>
    public bool LogScale { get; }

    /// <inheritdoc />
    public override object Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = random.NextDouble();
        double v = LogScale
            ? Math.Exp(Math.Log(Minimum) + u * (Math.Log(Maximum) - Math.Log(Minimum)))
            : Minimum + u * (Maximum - Minimum);
        return Math.Clamp(v, Minimum, Maximum);
    }

    /// <inheritdoc />
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"float [{Minimum}, {Maximum}]{(LogScale ? " log" : "")}");
}

/// <summary>
/// A categorical parameter: one of a fixed list of values, each with probability <c>1 / count</c>. Values may be
/// strings, booleans or numbers (for example latent dimensions 16, 32, 64).
/// </summary>
public sealed class ChoiceParameter : SearchParameter
{
    private readonly object[] _choices;

    /// <summary>Creates a choice over the given values.</summary>
    /// <exception cref="ArgumentException">No choices, a null choice, or a value that is not a string, bool or number.</exception>
    public ChoiceParameter(string name, IEnumerable<object> choices) : base(name)
    {
        ArgumentNullException.ThrowIfNull(choices);
        _choices = choices.ToArray();
        if (_choices.Length == 0)
            throw new ArgumentException($"Choice parameter '{name}' needs at least one choice.", nameof(choices));
        foreach (var c in _choices)
        {
            if (c is not (string or bool or int or long or float or double))
                throw new ArgumentException($"Choice parameter '{name}': value '{c ?? "null"}' is not a string, bool, int, long, float or double.", nameof(choices));
        }
    }

    /// <summary>The values, in the order given.</summary>
    public IReadOnlyList<object> Choices => _choices;

    /// <inheritdoc />
    public override object Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _choices[random.Next(_choices.Length)];
    }

    /// <inheritdoc />
    public override string Describe() =>
        "choice {" + string.Join(", ", _choices.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))) + "}";
}
