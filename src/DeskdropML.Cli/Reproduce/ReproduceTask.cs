using System.Text.Json.Nodes;

namespace DeskdropML.Cli.Reproduce;

/// <summary>One notebook task: a key in the JSON, a title for the progress display, and the work.</summary>
internal sealed record ReproduceTask(string Key, string Title, Func<ReproduceContext, JsonObject> Run);
