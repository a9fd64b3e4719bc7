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
            var spec = models.Get(parsed);
            string path = parsed.GetValue(outPath)!;
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder)) throw new CliUsageException($"--out: folder '{folder}' does not exist");
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
