using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// The ALS training objective, evaluated without touching the (users x items) dense matrix.
/// </summary>
/// <remarks>
/// Implicit: <c>sum_(u,i) c_ui (p_ui - s_ui)^2 + lambda (sum |x_u|^2 + sum |y_i|^2)</c> with <c>s_ui = x_u · y_i</c>.
/// Over all pairs with c = 1 and p = 0 the sum is <c>sum_u x_u^T (Y^T Y) x_u</c>; each contributing stored entry then
/// replaces its <c>s^2</c> by <c>c (1 - s)^2</c>. Cost O(users k^2 + stored k). Explicit:
/// <c>sum over stored (r_ui - s_ui)^2 + lambda (sum |x_u|^2 + sum |y_i|^2)</c>. Accumulated in double.
/// </remarks>
internal static class AlsObjective
{
    /// <summary>Evaluates the objective of <paramref name="userFactors"/> and <paramref name="itemFactors"/> on the weighted matrix.</summary>
    public static double Compute(CsrMatrix weighted, float[] userFactors, float[] itemFactors, AlsSolveSettings settings)
    {
        int k = settings.Factors;
        double loss = 0;
        float[]? gram = settings.UsesGram ? AlsHalfStep.Gram(itemFactors, weighted.Columns, k, 1) : null;
        var gx = new float[k];
        for (int u = 0; u < weighted.Rows; u++)
        {
            ReadOnlySpan<float> x = userFactors.AsSpan(u * k, k);
            if (gram is not null)
            {
                AlsKernels.SymmetricMatVec(gram, x, gx);
                loss += AlsKernels.Dot(x, gx);
            }
            ReadOnlySpan<int> cols = weighted.RowIndices(u);
            ReadOnlySpan<float> vals = weighted.RowValues(u);
            for (int n = 0; n < cols.Length; n++)
            {
                if (!settings.EntryTerms(vals[n], out _, out float b)) continue;
                double s = AlsKernels.Dot(x, itemFactors.AsSpan(cols[n] * k, k));
                if (settings.Feedback == AlsFeedback.Explicit)
                    loss += (b - s) * (b - s);
                else
                    loss += b * (1 - s) * (1 - s) - s * s; // b is the confidence c here
            }
        }
        double norms = SumOfSquares(userFactors) + SumOfSquares(itemFactors);
        return loss + settings.Regularization * norms;
    }

    /// <summary>Sum of squared errors over the stored entries (the explicit loss without regularization).</summary>
    public static double SquaredErrorOnStored(CsrMatrix matrix, float[] userFactors, float[] itemFactors, int k)
    {
        double sum = 0;
        for (int u = 0; u < matrix.Rows; u++)
        {
            ReadOnlySpan<int> cols = matrix.RowIndices(u);
            ReadOnlySpan<float> vals = matrix.RowValues(u);
            for (int n = 0; n < cols.Length; n++)
            {
                double e = vals[n] - AlsKernels.Dot(userFactors.AsSpan(u * k, k), itemFactors.AsSpan(cols[n] * k, k));
                sum += e * e;
            }
        }
        return sum;
    }

    private static double SumOfSquares(float[] values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return sum;
    }
}
