using System.CommandLine;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Persistence;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Popularity;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary><c>deskdrop train</c>: fit a factorization model on the train split and save it as a model zip.</summary>
internal static class TrainCommand
{
    /// <summary>The models whose fitted form is a factorization model, i.e. can be saved as a zip.</summary>
    private static readonly string[] Savable = ["warp", "als", "content", "ffm", "itemknn", "ease", "svd"];

    public static Command Create()
    {
        var common = new CommonOptions();
        var models = ModelRegistry.CreateDefault();
        var outPath = new Option<string>("--out") { Description = "The model zip to write", Required = true };
        var command = new Command("train", "Fit a model (warp, als, content, ffm, itemknn, ease, svd) on the train split and save it as an ML.NET model zip with the typed model inside.");
        common.AddTo(command);
        models.AddTo(command);
        command.Options.Add(outPath);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            // Checked before any data is read: train has no default model, and popularity has nothing to save.
            if (parsed.GetResult(models.ModelOption) is null or { Implicit: true })
                throw new CliUsageException($"train needs --model {string.Join("|", Savable)}");
            var spec = models.Get(parsed);
            if (!Savable.Contains(spec.Name))
                throw new CliUsageException($"--model {spec.Name} cannot be saved as a model zip; train supports {string.Join(", ", Savable)}");
            string path = parsed.GetValue(outPath)!;
            OutputPaths.CheckFile("--out", path, common.InputFiles(parsed));
            var data = common.Load(parsed, output);
            var fitted = spec.Fit(new FitRequest(data, parsed, output, parsed.GetValue(common.Seed), common.GetThreads(parsed)));
            if (fitted.Model is not IFactorizationModel factorization)
                throw new CliUsageException($"--model {spec.Name} cannot be saved as a model zip; train supports warp, als, content, ffm, itemknn, ease and svd");
            if (factorization is ItemItemModel)
            {
                try { ItemItemModel.EnsurePackedViewFits(factorization.Users.Count, factorization.Items.Count, spec.Name); }
                catch (InvalidOperationException e) { throw new CliUsageException($"--model {spec.Name}: {e.Message}"); }
            }
            Save(factorization, data.Dataset.Train, spec.Name, path);
            output.Human.MarkupLine($"Saved {Markup.Escape(spec.Name)} model ({factorization.Users.Count:N0} users x {factorization.Items.Count:N0} items, " +
                $"{factorization.Dimension} dimensions) to {Markup.Escape(path)}");
            output.WriteJson(new JsonObject
            {
                ["model"] = spec.Name,
                ["benchmark"] = data.Name,
                ["out"] = path,
                ["users"] = factorization.Users.Count,
                ["items"] = factorization.Items.Count,
                ["dimension"] = factorization.Dimension,
                ["fit_seconds"] = fitted.FitSeconds,
                ["parameters"] = fitted.Parameters,
            });
            return 0;
        });
        return command;
    }

    /// <summary>Saves a fitted model with its training matrix and popularity fallback as a model zip.</summary>
    public static void Save(IFactorizationModel model, Sparse.CsrMatrix train, string kind, string path)
    {
        var ml = new MLContext(seed: 0);
        var popularity = PopularityModel.Fit(train, model.Users, model.Items);
        var transformer = new FactorizationScoringTransformer(ml, model, train, popularity.ItemScores.ToArray(), modelKind: kind);
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<IdRow>()).Schema;
        FactorizationModelZip.Save(ml, transformer, schema, path);
    }

    /// <summary>The input row of a saved model: a user id and an item id.</summary>
    internal sealed class IdRow
    {
        [ColumnName("UserId")] public string UserId { get; set; } = "";
        [ColumnName("ItemId")] public string ItemId { get; set; } = "";
    }
}
