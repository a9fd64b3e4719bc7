using System.Numerics;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// One per-parameter optimiser step (Adagrad or Adadelta) followed by the L2 shrink of the touched parameters.
/// </summary>
/// <remarks>
/// L2 (<c>alpha</c>): after the gradient step, each touched parameter is multiplied by
/// <c>max(0, 1 - η_local · alpha)</c> where η_local is the step size the schedule just used for it
/// (Adagrad: <c>η / √G</c>; Adadelta: <c>√(E[Δ²] + ε) / √(E[g²] + ε)</c>). This is a stochastic gradient step on
/// <c>alpha/2 · ‖θ‖²</c> applied only to the parameters a sample touches (sparse L2). LightFM instead decays all
/// parameters of a side a little after every sample (lazily, through a global scale factor), so the same alpha
/// regularises more strongly there: alpha values are not interchangeable with LightFM's.
/// </remarks>
internal readonly struct WarpOptimizer
{
    public WarpOptimizer(WarpLearningSchedule schedule, float learningRate, float rho, float epsilon)
    {
        Adagrad = schedule == WarpLearningSchedule.Adagrad;
        LearningRate = learningRate;
        Rho = rho;
        Epsilon = epsilon;
    }

    public bool Adagrad { get; }
    public float LearningRate { get; }
    public float Rho { get; }
    public float Epsilon { get; }

    /// <summary>
    /// Steps <paramref name="theta"/> with gradient <c>g_c = scale · direction_c</c> (all spans of length d).
    /// <paramref name="deltas"/> is only read for Adadelta.
    /// </summary>
    public void StepVector(Span<float> theta, Span<float> acc, Span<float> deltas, ReadOnlySpan<float> direction, float scale, float alpha)
    {
        int n = theta.Length;
        int i = 0;
        if (Adagrad)
        {
            if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
            {
                var vScale = new Vector<float>(scale);
                var vRate = new Vector<float>(LearningRate);
                var vAlpha = new Vector<float>(alpha);
                for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var g = vScale * new Vector<float>(direction.Slice(i));
                    var a = new Vector<float>(acc.Slice(i));
                    var eta = vRate / Vector.SquareRoot(a);
                    var t = new Vector<float>(theta.Slice(i)) - eta * g;
                    if (alpha > 0f) t *= Vector.Max(Vector<float>.Zero, Vector<float>.One - eta * vAlpha);
                    t.CopyTo(theta.Slice(i));
                    (a + g * g).CopyTo(acc.Slice(i));
                }
            }
            for (; i < n; i++)
                AdagradScalar(ref theta[i], ref acc[i], scale * direction[i], alpha);
        }
        else
        {
            for (; i < n; i++)
                AdadeltaScalar(ref theta[i], ref acc[i], ref deltas[i], scale * direction[i], alpha);
        }
    }

    private void AdagradScalar(ref float theta, ref float acc, float g, float alpha)
    {
        float eta = LearningRate / MathF.Sqrt(acc);
        float t = theta - eta * g;
        if (alpha > 0f) t *= MathF.Max(0f, 1f - eta * alpha);
        theta = t;
        acc += g * g;
    }

    private void AdadeltaScalar(ref float theta, ref float acc, ref float delta, float g, float alpha)
    {
        float a = Rho * acc + (1f - Rho) * g * g;
        acc = a;
        float eta = MathF.Sqrt(delta + Epsilon) / MathF.Sqrt(a + Epsilon);
        float step = eta * g;
        delta = Rho * delta + (1f - Rho) * step * step;
        float t = theta - step;
        if (alpha > 0f) t *= MathF.Max(0f, 1f - eta * alpha);
        theta = t;
    }
}
