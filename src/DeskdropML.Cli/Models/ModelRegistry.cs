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
        return new ModelRegistry(text, flags, new PopularityModelSpec(), new ContentModelSpec(text), new FfmModelSpec(flags), new WarpModelSpec(flags, text), new AlsModelSpec(flags),
            new ItemKnnModelSpec(flags), new EaseModelSpec(flags), new PureSvdModelSpec(flags));
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

    public ModelSpec Get(ParseResult parsed)
    {
        string name = parsed.GetValue(ModelOption)!;
        return _specs.TryGetValue(name, out var spec)
            ? spec
            : throw new CliUsageException($"--model must be one of {string.Join(", ", _specs.Keys)} (got '{name}')");
    }
}
