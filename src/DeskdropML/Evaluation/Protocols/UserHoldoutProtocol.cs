namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// Per-user random holdout, stratified by user: for each user, <c>round(f · n_u)</c> of the user's n_u pairs drawn
/// at random (seeded per user) go to test, clamped so that at least one pair stays in train — the protocol of the
/// "Recommender Systems in Python 101" notebook on this data. One fold; no time, so the
/// <see cref="CandidatePolicy.Available"/> policy does not apply. Validation: the same draw (seed + 1) over the train pairs.
/// </summary>
/// <param name="testFraction">f, in (0, 1). Default 0.2.</param>
/// <param name="seed">Seed of the per-user draws.</param>
public sealed class UserHoldoutProtocol(double testFraction = 0.2, int seed = 42) : PairSplitProtocol
{
    /// <summary>The test fraction f.</summary>
    public double TestFraction { get; } = testFraction > 0 && testFraction < 1
        ? testFraction
        : throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in (0, 1).");

    /// <inheritdoc />
    public override string Name => "user-holdout";

    /// <inheritdoc />
    protected override void AssignTest(InteractionHistory history, ReadOnlySpan<int> pairs, int fold, Span<bool> isTest) =>
        Draw(history, pairs, isTest, seed);

    /// <inheritdoc />
    protected override void AssignValidation(InteractionHistory history, ReadOnlySpan<int> pairs, Span<bool> isValidation) =>
        Draw(history, pairs, isValidation, unchecked(seed + 1));

    private void Draw(InteractionHistory history, ReadOnlySpan<int> pairs, Span<bool> isTest, int drawSeed)
    {
        var byUser = PositionsByUser(history, pairs);
        for (int u = 0; u < byUser.Length; u++)
        {
            var positions = byUser[u];
            if (positions is null) continue;
            int n = positions.Count;
            int take = Math.Clamp((int)Math.Round(TestFraction * n, MidpointRounding.AwayFromZero), 0, n - 1);
            var random = UserRandom(drawSeed, u);
            // Partial Fisher–Yates: the first `take` positions after shuffling go to test.
            var order = positions.ToArray();
            for (int j = 0; j < take; j++)
            {
                int r = j + random.Next(n - j);
                (order[j], order[r]) = (order[r], order[j]);
                isTest[order[j]] = true;
            }
        }
    }
}
