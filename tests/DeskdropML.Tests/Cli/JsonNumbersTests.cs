using System.Text.Json.Nodes;
using DeskdropML.Cli;
using FsCheck;
using FsCheck.Fluent;

namespace DeskdropML.Tests.Cli;

public class JsonNumbersTests
{
    [Fact]
    public void DoublesGetTenSignificantDigitsAndSecondsThreeDecimals()
    {
        var json = new JsonObject
        {
            ["precision"] = 0.00590631364562118,
            ["fit_seconds"] = 1.1226684,
            ["tiny"] = 1.7347234759768071E-17,
            ["rate"] = 0.05f,
            ["users"] = 982,
            ["nested"] = new JsonObject { ["values"] = new JsonArray(2.0 / 3, 7) },
        };
        string text = JsonNumbers.Round(json).ToJsonString();
        Assert.Equal("{\"precision\":0.005906313646,\"fit_seconds\":1.123,\"tiny\":1.734723476E-17,\"rate\":0.05," +
            "\"users\":982,\"nested\":{\"values\":[0.6666666667,7]}}", text);
    }

    [Fact]
    public void RoundedValuesStayWithinOneBillionthOfMetrics()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).Select(i => i / (double)int.MaxValue).ToArbitrary(), (double metric) =>
        {
            var json = JsonNumbers.Round(new JsonObject { ["ndcg"] = metric });
            return Math.Abs(json["ndcg"]!.GetValue<double>() - metric) <= 1e-9 * Math.Max(1, metric);
        }).QuickCheckThrowOnFailure();
    }
}
