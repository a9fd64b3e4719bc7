using System.Globalization;
using DeskdropML.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeskdropML.Tests.Reliability;

/// <summary>Timestamps are read only as documented: Unix seconds or milliseconds (one unit per file) and the
/// standard ISO 8601 forms, invariant of culture; everything else is an error naming line and position.</summary>
public class TimestampTests
{
    private static InteractionLog Load(string rows, TimestampUnit unit = TimestampUnit.Auto) =>
        InteractionCsvLoader.Load(FaultData.WriteFile("user,item,timestamp\n" + rows, "t.csv"), new InteractionCsvOptions { TimeUnit = unit });

    private static DataFormatException Fails(string rows, TimestampUnit unit = TimestampUnit.Auto) =>
        Assert.Throws<DataFormatException>(() => Load(rows, unit));

    [Theory]
    [InlineData("2016-10-03T18:32:10Z", 1475519530)]
    [InlineData("2016-10-03t18:32:10z", 1475519530)]
    [InlineData("2016-10-03 18:32:10", 1475519530)]
    [InlineData("2016-10-03T18:32:10", 1475519530)]
    [InlineData("2016-10-03T18:32:10.999Z", 1475519530)]
    [InlineData("2016-10-03T18:32:10,5+00:00", 1475519530)]
    [InlineData("2016-10-03T20:32:10+02:00", 1475519530)]
    [InlineData("2016-10-03T20:32:10+0200", 1475519530)]
    [InlineData("2016-10-03T16:32:10-02", 1475519530)]
    [InlineData("2016-10-03T18:32Z", 1475519520)]
    [InlineData("2016-10-03", 1475452800)]
    [InlineData("1970-01-01T00:00:00Z", 0)]
    [InlineData("0001-01-01T00:00:00Z", -62135596800)]
    [InlineData("9999-12-31T23:59:59Z", 253402300799)]
    [InlineData("1475519530", 1475519530)]
    [InlineData("-86400", -86400)]
    [InlineData("1475519530000", 1475519530)]
    [InlineData("1475519530999", 1475519530)]
    public void Documented_forms_have_known_values(string text, long expected) =>
        Assert.Equal(expected, Load($"u,i,\"{text}\"\n").Timestamps[0]);

    [Theory]
    [InlineData("01-02-2016")]
    [InlineData("1-2-3")]
    [InlineData("2016-1-2")]
    [InlineData("2016/01/02")]
    [InlineData("02.01.2016")]
    [InlineData("Jan 2 2016")]
    [InlineData("2016-02-30")]
    [InlineData("2016-10-03T24:00:00")]
    [InlineData("2016-10-03T18:60:00")]
    [InlineData("2016-10-03T18:32:10+25:00")]
    [InlineData("2016-10-03T18:32:10Zjunk")]
    [InlineData("2016-10-03T18:32:10.")]
    [InlineData(" 1475519530")]
    [InlineData("1475519530 ")]
    [InlineData("1.4755e9")]
    [InlineData("+1475519530")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void Other_forms_are_errors_naming_line_position_and_column(string text)
    {
        var e = Fails($"u,i,1\nu,j,\"{text}\"\n");
        Assert.Equal((3L, 5, "timestamp"), (e.Line, e.Position, e.Column));
    }

    [Fact]
    public void A_mixture_of_seconds_and_milliseconds_is_an_error_naming_the_first_offending_line()
    {
        var e = Fails("u,i,1460000000000\nu,j,1460000001000\nu,k,1460000002\nu,l,1460000003\n");
        Assert.Equal(4, e.Line);
        Assert.Contains("line 2: 1460000000000", e.Message);
        Assert.Contains("--time-unit", e.Message);
        e = Fails("u,i,1460000000\nu,j,1460000001000\n");
        Assert.Equal(3, e.Line);
        Assert.Contains("looks like Unix milliseconds", e.Message);
    }

    [Fact]
    public void An_explicit_unit_reads_every_value_in_it()
    {
        Assert.Equal(new long[] { 1460000000, 1460000001, -1, -2 },
            Load("u,i,1460000000000\nu,j,1460000001999\nu,k,-1\nu,l,-1001\n", TimestampUnit.Milliseconds).Timestamps);
        Assert.Equal(new long[] { 200_000_000_000, 5 }, Load("u,i,200000000000\nu,j,5\n", TimestampUnit.Seconds).Timestamps);
    }

    [Fact]
    public void Values_outside_the_years_0001_to_9999_are_errors()
    {
        Assert.Contains("outside the years 0001-9999", Fails("u,i,9000000000000000000\n").Message);
        Assert.Contains("outside the years 0001-9999", Fails("u,i,253402300800\n", TimestampUnit.Seconds).Message);
    }

    /// <summary>Round trip: a date-time written in the standard form (any offset) parses to its Unix seconds.</summary>
    [Property(MaxTest = 300)]
    public bool Iso_round_trip(int secondsRaw, short offsetRaw)
    {
        long seconds = secondsRaw * 37L; // about +-2,500 years around 1970, kept within 0001-9999 below
        if (seconds is < -62_135_596_800 + 86_400 or > 253_402_300_799 - 86_400) return true;
        var offset = TimeSpan.FromMinutes(offsetRaw % (14 * 60));
        var instant = DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(offset);
        string text = instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return TimestampParser.TryParseIso(text, out long parsed) && parsed == seconds;
    }

    [Fact]
    public void Split_arithmetic_is_overflow_safe_and_unchanged_for_ordinary_times()
    {
        Assert.Equal(long.MaxValue, TimeSplit.AtFraction(long.MinValue, long.MaxValue, 1.0));
        long mid = TimeSplit.AtFraction(long.MinValue, long.MaxValue, 0.5);
        Assert.InRange(mid, -4096, 4096);
        Assert.Equal(-62_135_596_800, TimeSplit.AtFraction(-62_135_596_800, 253_402_300_799, 0));
        var random = new Random(5);
        for (int i = 0; i < 1000; i++)
        {
            long a = 1_400_000_000 + random.Next(100_000_000), b = a + random.Next(100_000_000);
            double f = random.NextDouble();
            Assert.Equal((long)Math.Ceiling(a + f * (b - a)), TimeSplit.AtFraction(a, b, f));
        }
    }

    [Fact]
    public void Test_fraction_over_the_widest_timestamps_splits_without_overflow()
    {
        var rows = string.Concat(Enumerable.Range(0, 12).Select(r => $"u{r % 2},i{r},{(r % 2 == 0 ? "0001-01-01T00:00:00Z" : "9999-12-31T23:59:59Z")}\n"));
        var ds = InteractionDataset.Build(Load(rows), new DatasetOptions { MinItemsPerUser = 1, TestFraction = 0.25 });
        Assert.InRange(ds.Summary.SplitTime, -62_135_596_800, 253_402_300_799);
        Assert.Equal(6, ds.Summary.TrainPairs);
        Assert.Equal(6, ds.Summary.TestPairs);
    }
}
