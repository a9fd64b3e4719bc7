using System.CommandLine;

namespace DeskdropML.Cli.Models;

/// <summary>The models <c>--model</c> accepts, with their flags attached to a command.</summary>
internal sealed class ModelRegistry
{
    private readonly Dictionary<string, ModelSpec> _specs = new(StringComparer.Ordinal);

    public ModelRegistry(params ModelSpec[] specs)
    {
        foreach (var s in specs) _specs.Add(s.Name, s);
        ModelOption = new Option<string>("--model") { Description = "Model: " + string.Join(" | ", _specs.Keys), DefaultValueFactory = _ => "popularity" };
    }

    /// <summary>The <c>--model</c> option.</summary>
    public Option<string> ModelOption { get; }

    /// <summary>The registry with every model the tool knows.</summary>
    public static ModelRegistry CreateDefault()
    {
        var text = new TextFeatureOptions();
        var flags = new ModelFlags();
        return new ModelRegistry(text, flags, new RandomModelSpec(), new PopularityModelSpec(), new RecencyModelSpec(), new ContentModelSpec(text), new FfmModelSpec(flags),
            new WarpModelSpec(flags, text), new AlsModelSpec(flags), new ItemKnnModelSpec(flags), new EaseModelSpec(flags), new PureSvdModelSpec(flags),
            new TwoStageModelSpec(), new GeneratorModelSpec("coread", Ranking.GeneratorKind.CoRead), new GeneratorModelSpec("fresh", Ranking.GeneratorKind.Fresh),
            new GeneratorModelSpec("trend", Ranking.GeneratorKind.Trend), new GeneratorModelSpec("neighbours", Ranking.GeneratorKind.Neighbours));
    }

    private readonly TextFeatureOptions? _text;
    private readonly ModelFlags? _flags;

    private ModelRegistry(TextFeatureOptions text, ModelFlags flags, params ModelSpec[] specs) : this(specs)
    {
        _text = text;
        _flags = flags;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(ModelOption);
        _text?.AddTo(command);
        _flags?.AddTo(command);
        foreach (var s in _specs.Values) s.AddOptions(command);
    }

    /// <summary>The models <c>tune</c> can search.</summary>
    public IEnumerable<string> TunableNames => _specs.Values.OfType<ITunableModel>().Select(t => t.Name);

    /// <summary>The tunable model of that name, or null.</summary>
    public ITunableModel? Tunable(string name) => _specs.TryGetValue(name, out var s) ? s as ITunableModel : null;

    public ModelSpec Get(ParseResult parsed) => Get(parsed.GetValue(ModelOption)!, "--model");

    /// <summary>
    /// The model of that name; <c>recency-6h</c>, <c>recency-1d</c>, <c>recency-0.5d</c> (any number with h or d) name the
    /// recency model with that half-life.
    /// </summary>
    public ModelSpec Get(string name, string flag)
    {
        if (_specs.TryGetValue(name, out var spec)) return spec;
        if (RecencyModelSpec.TryParseVariant(name) is { } variant) return variant;
        if (_specs.TryGetValue("two-stage", out var ts) && TwoStageModelSpec.TryParseVariant(name, (TwoStageModelSpec)ts) is { } ablation) return ablation;
        throw new CliUsageException($"{flag} must name models among {string.Join(", ", _specs.Keys)}, recency-<N>h, recency-<N>d, two-stage-without-<group> (got '{name}')");
    }
}
