using System.Globalization;

namespace DeskdropML.Tuning;

/// <summary>
/// The hyperparameter values of one candidate, read by the caller's fit function, plus a seed for the candidate's
/// own randomness (the same candidate gets the same seed at every budget and in the final retraining).
/// </summary>
public sealed class TrialParameters
{
    private readonly Dictionary<string, object> _values;

    /// <summary>Creates the parameters of one candidate.</summary>
    public TrialParameters(int candidate, int seed, IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Candidate = candidate;
        Seed = seed;
        _values = new Dictionary<string, object>(values, StringComparer.Ordinal);
    }

    /// <summary>Index of the candidate (0-based, in sampling order).</summary>
    public int Candidate { get; }

    /// <summary>A seed derived from the tuner's seed and the candidate index; use it to seed the trainer.</summary>
    public int Seed { get; }

    /// <summary>All values by name.</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>The raw value of a parameter.</summary>
    /// <exception cref="KeyNotFoundException">No parameter with that name.</exception>
    public object this[string name] => _values.TryGetValue(name, out var v)
        ? v
        : throw new KeyNotFoundException($"No hyperparameter named '{name}' (known: {string.Join(", ", _values.Keys)}).");

    /// <summary>A value as an <see cref="int"/> (integer ranges, numeric choices).</summary>
    public int GetInt(string name) => Convert.ToInt32(this[name], CultureInfo.InvariantCulture);

    /// <summary>A value as a <see cref="double"/> (float ranges, numeric choices, integers).</summary>
    public double GetDouble(string name) => Convert.ToDouble(this[name], CultureInfo.InvariantCulture);

    /// <summary>A value as a <see cref="float"/>.</summary>
    public float GetFloat(string name) => (float)GetDouble(name);

    /// <summary>A value as a string (choices).</summary>
    public string GetString(string name) => Convert.ToString(this[name], CultureInfo.InvariantCulture) ?? "";

    /// <summary>A value as a <see cref="bool"/> (boolean choices).</summary>
    public bool GetBool(string name) => Convert.ToBoolean(this[name], CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", _values.Select(kv => kv.Key + "=" + Convert.ToString(kv.Value, CultureInfo.InvariantCulture)));
}
