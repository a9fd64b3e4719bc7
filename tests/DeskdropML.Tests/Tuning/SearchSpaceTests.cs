using DeskdropML.Tuning;

namespace DeskdropML.Tests.Tuning;

public class SearchSpaceTests
{
    [Fact]
    public void Integer_ranges_are_inclusive_and_uniform()
    {
        var p = new IntegerParameter("n", 3, 6);
        var random = new Random(1);
        var counts = new int[10];
        for (int t = 0; t < 8000; t++) counts[(int)p.Sample(random)]++;
        for (int v = 3; v <= 6; v++) Assert.InRange(counts[v], 1800, 2200);
        Assert.Equal(8000, counts[3] + counts[4] + counts[5] + counts[6]);
    }

    [Fact]
    public void Log_uniform_floats_spread_evenly_over_decades()
    {
        var p = new FloatParameter("lr", 1e-4, 1, logScale: true);
        var random = new Random(2);
        var perDecade = new int[4];
        for (int t = 0; t < 8000; t++)
        {
            double v = (double)p.Sample(random);
            Assert.InRange(v, 1e-4, 1);
            perDecade[Math.Min(3, (int)Math.Floor(Math.Log10(v) + 4))]++;
        }
        foreach (int c in perDecade) Assert.InRange(c, 1800, 2200);
    }

    [Fact]
    public void Log_integers_and_choices_stay_in_their_domain()
    {
        var random = new Random(3);
        var ints = new IntegerParameter("f", 8, 128, logScale: true);
        var seen = new HashSet<object>();
        var choice = new ChoiceParameter("loss", new object[] { "warp", "bpr", "logistic" });
        for (int t = 0; t < 2000; t++)
        {
            Assert.InRange((int)ints.Sample(random), 8, 128);
            seen.Add(choice.Sample(random));
        }
        Assert.Equal(3, seen.Count);
        int small = 0;
        for (int t = 0; t < 4000; t++) if ((int)ints.Sample(random) < 32) small++;
        // Log-uniform: [8, 32) is half of the log range [8, 129).
        Assert.InRange(small, 1800, 2200);
    }

    [Fact]
    public void Sampling_is_deterministic_for_a_seed()
    {
        var space = new SearchSpace().AddInteger("a", 1, 100).AddFloat("b", 0, 1).AddChoice("c", "x", "y");
        string Draw(int seed)
        {
            var r = new Random(seed);
            return string.Join(";", Enumerable.Range(0, 5).Select(_ => string.Join(",", space.Sample(r).Values)));
        }
        Assert.Equal(Draw(4), Draw(4));
        Assert.NotEqual(Draw(4), Draw(5));
    }

    [Fact]
    public void Bad_domains_name_the_parameter()
    {
        Assert.Equal("minimum", Assert.Throws<ArgumentException>(() => new IntegerParameter("a", 5, 4)).ParamName);
        Assert.Equal("minimum", Assert.Throws<ArgumentException>(() => new IntegerParameter("a", 0, 4, logScale: true)).ParamName);
        Assert.Equal("minimum", Assert.Throws<ArgumentException>(() => new FloatParameter("a", 0, 1, logScale: true)).ParamName);
        Assert.Equal("minimum", Assert.Throws<ArgumentException>(() => new FloatParameter("a", double.NaN, 1)).ParamName);
        Assert.Equal("choices", Assert.Throws<ArgumentException>(() => new ChoiceParameter("a", Array.Empty<object>())).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new FloatParameter(" ", 0, 1)).ParamName);
        var space = new SearchSpace().AddFloat("a", 0, 1);
        Assert.Equal("parameter", Assert.Throws<ArgumentException>(() => space.AddInteger("a", 1, 2)).ParamName);
    }

    [Fact]
    public void Trial_parameters_convert_values()
    {
        var p = new TrialParameters(2, 99, new Dictionary<string, object> { ["f"] = 32, ["lr"] = 0.05, ["loss"] = "warp" });
        Assert.Equal(32, p.GetInt("f"));
        Assert.Equal(32.0, p.GetDouble("f"));
        Assert.Equal(0.05f, p.GetFloat("lr"));
        Assert.Equal("warp", p.GetString("loss"));
        Assert.Throws<KeyNotFoundException>(() => p.GetInt("missing"));
    }
}
