using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

public class AlsRollingRefitTests
{
    // Cholesky: the user solve does not depend on the warm start, so the expected factors are exact.
    private static readonly AlsTrainer.Options Options = new() { NumberOfFactors = 8, NumberOfIterations = 10, Seed = 3, NumberOfThreads = 1, Solver = AlsSolver.Cholesky };

    /// <summary>The matrix with the last <paramref name="emptyRows"/> rows emptied (users who have not arrived yet).</summary>
    private static CsrMatrix WithoutLastRows(CsrMatrix m, int emptyRows)
    {
        var r = new List<int>(); var c = new List<int>(); var v = new List<float>();
        for (int u = 0; u < m.Rows - emptyRows; u++)
            for (int k = 0; k < m.RowLength(u); k++) { r.Add(u); c.Add(m.RowIndices(u)[k]); v.Add(m.RowValues(u)[k]); }
        return CsrMatrix.FromTriplets(m.Rows, m.Columns, r.ToArray(), c.ToArray(), v.ToArray());
    }

    [Fact]
    public void Between_refits_users_are_recalculated_against_the_frozen_item_factors()
    {
        var full = AlsReference.RandomMatrix(seed: 5, rows: 40, columns: 30, density: 0.2);
        var early = WithoutLastRows(full, 5);
        var users = IdMap.FromIds(Enumerable.Range(0, 40).Select(u => $"u{u:D2}"));
        var items = IdMap.FromIds(Enumerable.Range(0, 30).Select(i => $"i{i:D2}"));
        var rolling = new AlsRollingRefit(Options, refitEvery: 2);
        var first = (AlsModelParameters)rolling.Fit(early, users, items);
        var second = rolling.Fit(full, users, items);
        Assert.Equal(1, rolling.FullFits);

        // A user who arrived after the fit (row 39) gets the fold-in solve; before, the model had no factors for them.
        var expected = new float[8];
        first.RecalculateUser(full.RowIndices(39), full.RowValues(39), expected);
        Assert.Contains(expected, x => x != 0);
        var want = new float[30];
        first.ScoreItemsForFactors(expected, want);
        var got = new float[30];
        second.ScoreItems(39, got);
        Assert.Equal(want, got);
        var before = new float[30];
        first.ScoreItems(39, before);
        Assert.All(before, s => Assert.Equal(0f, s));

        // The third call is a full refit again, identical to fitting from scratch.
        var third = (AlsModelParameters)rolling.Fit(full, users, items);
        Assert.Equal(2, rolling.FullFits);
        Assert.Equal(new AlsTrainer(Options).Fit(full, users, items).ItemFactors.ToArray(), third.ItemFactors.ToArray());
    }

    [Fact]
    public void Refit_period_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlsRollingRefit(Options, 0));
    }
}
