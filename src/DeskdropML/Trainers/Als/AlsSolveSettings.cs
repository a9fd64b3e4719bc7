namespace DeskdropML.Trainers.Als;

/// <summary>The loss and solver settings that one half-step (or a fold-in) needs, copied from the options.</summary>
internal sealed record AlsSolveSettings(
    int Factors,
    float Regularization,
    float Alpha,
    AlsConfidence Confidence,
    AlsFeedback Feedback,
    AlsSolver Solver,
    int ConjugateGradientSteps)
{
    /// <summary>
    /// Maps a stored (weighted) strength r to its per-entry terms: the normal matrix gets <c>w y y^T</c> and the right-hand
    /// side gets <c>b y</c>. Implicit: <c>w = c - 1</c>, <c>b = c * p = c</c> (entries with r = 0 are skipped, they act
    /// like missing ones). Explicit: <c>w = 1</c>, <c>b = r</c>.
    /// </summary>
    /// <returns>False when the entry contributes nothing.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool EntryTerms(float r, out float w, out float b)
    {
        if (Feedback == AlsFeedback.Explicit)
        {
            w = 1f;
            b = r;
            return true;
        }
        if (r <= 0f)
        {
            w = 0f;
            b = 0f;
            return false;
        }
        float c = Confidence == AlsConfidence.OnePlusAlphaR ? 1f + Alpha * r : Alpha * r;
        w = c - 1f;
        b = c;
        return true;
    }

    /// <summary>True when the shared k x k Gram matrix of the fixed factors is part of every row's normal matrix.</summary>
    public bool UsesGram => Feedback == AlsFeedback.Implicit;
}
