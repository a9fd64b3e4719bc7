// Usage: DeskdropML.ModelHost <model.zip> <rows.tsv> <userColumn> <itemColumn> [--typed]
// rows.tsv: one "userId<TAB>itemId" per line. Prints one line per row: the Score as 8 hex digits of its IEEE bits.
// Default: loads with ML.NET (FactorizationModelZip.LoadMlNet); --typed: rebuilds the typed transformer.
// Exit code 0 on success, 1 on any error (message on stderr).
using System.Globalization;
using DeskdropML.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

try
{
    if (args.Length < 4) throw new ArgumentException("usage: <model.zip> <rows.tsv> <userColumn> <itemColumn> [--typed]");
    var ml = new MLContext(seed: 0);
    ITransformer model = args.Length > 4 && args[4] == "--typed"
        ? FactorizationModelZip.LoadTransformer(ml, args[0])
        : FactorizationModelZip.LoadMlNet(ml, args[0], out _);
    var rows = File.ReadAllLines(args[1]).Where(l => l.Length > 0).Select(l => l.Split('\t'))
        .Select(p => new HostRow { User = p[0], Item = p[1] }).ToList();
    var definition = SchemaDefinition.Create(typeof(HostRow));
    definition[nameof(HostRow.User)].ColumnName = args[2];
    definition[nameof(HostRow.Item)].ColumnName = args[3];
    var scored = model.Transform(ml.Data.LoadFromEnumerable(rows, definition));
    foreach (float score in scored.GetColumn<float>("Score"))
        Console.WriteLine(BitConverter.SingleToInt32Bits(score).ToString("X8", CultureInfo.InvariantCulture));
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"ModelHost failed: {e}");
    return 1;
}

/// <summary>One input row.</summary>
public sealed class HostRow
{
    /// <summary>User id.</summary>
    public string User = "";
    /// <summary>Item id.</summary>
    public string Item = "";
}
