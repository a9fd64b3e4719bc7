using System.CommandLine;
using DeskdropML.Features;
using Microsoft.ML;

namespace DeskdropML.Cli.Models;

/// <summary>The item text feature flags shared by the models that use article text (warp, content).</summary>
internal sealed class TextFeatureOptions
{
    public readonly Option<string?> Features = new("--features") { Description = "Item text features: none | raw | clean (content default: clean; warp default: none)" };
    public readonly Option<bool> SublinearTf = new("--sublinear-tf") { Description = "Use 1 + ln(tf) instead of tf in the TF-IDF features" };

    public void AddTo(Command command)
    {
        command.Options.Add(Features);
        command.Options.Add(SublinearTf);
    }

    /// <summary>The preset asked for, or <paramref name="fallback"/> when --features is not given; null means none.</summary>
    public TextFeaturePreset? Preset(ParseResult parsed, TextFeaturePreset? fallback) => parsed.GetValue(Features) switch
    {
        null => fallback,
        "none" => null,
        "raw" => TextFeaturePreset.Raw,
        "clean" => TextFeaturePreset.Clean,
        var other => throw new CliUsageException($"--features must be none, raw or clean (got '{other}')"),
    };

    /// <summary>Featurizes the articles of the loaded data, aligned with its item map.</summary>
    public static ItemTextFeatures Build(LoadedData data, TextFeaturePreset preset, bool sublinearTf, Output output)
    {
        if (data.Articles.Count == 0)
            throw new CliUsageException("text features need the Deskdrop article file (shared_articles*.csv[.gz]) in the --data folder");
        return output.Status($"Featurizing {data.Articles.Count} articles ({preset.ToString().ToLowerInvariant()} TF-IDF)", () =>
        {
            var articles = data.Articles.Select(ArticleText.From).ToList();
            var featurizer = new ItemTextFeaturizer(new MLContext(seed: 0), new ItemTextFeaturizer.Options { Preset = preset, SublinearTf = sublinearTf });
            var transformer = featurizer.Fit(articles);
            return transformer.Featurize(articles, data.Dataset.Items);
        });
    }
}
