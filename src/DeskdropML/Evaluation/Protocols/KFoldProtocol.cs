namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// K-fold over each user's pairs: the user's pairs are shuffled (seeded per user) and the j-th goes to fold j mod K;
/// fold f tests on its pairs and trains on the others. A user with fewer than K pairs is tested in the first
/// n_u folds only. Validation: one extra 1/K holdout drawn (seed + 1) from the train pairs of fold 0.
/// </summary>
/// <param name="folds">K ≥ 2. Default 5.</param>
/// <param name="seed">Seed of the per-user shuffles.</param>
public sealed class KFoldProtocol(int folds = 5, int seed = 42) : PairSplitProtocol
{
    /// <summary>K.</summary>
    public int Folds { get; } = folds >= 2 && folds <= 1000 ? folds : throw new ArgumentOutOfRangeException(nameof(folds), folds, "K must be in [2, 1000].");

    /// <inheritdoc />
    public override string Name => "kfold";

    /// <inheritdoc />
    protected override int FoldCount => Folds;

    /// <inheritdoc />
    protected override void AssignTest(InteractionHistory history, ReadOnlySpan<int> pairs, int fold, Span<bool> isTest) =>
        Assign(history, pairs, fold, isTest, seed);

    /// <inheritdoc />
    protected override void AssignValidation(InteractionHistory history, ReadOnlySpan<int> pairs, Span<bool> isValidation) =>
        Assign(history, pairs, 0, isValidation, unchecked(seed + 1));

    private void Assign(InteractionHistory history, ReadOnlySpan<int> pairs, int fold, Span<bool> isTest, int drawSeed)
    {
        var byUser = PositionsByUser(history, pairs);
        for (int u = 0; u < byUser.Length; u++)
        {
            var positions = byUser[u];
            if (positions is null || positions.Count < 2) continue;
            var order = positions.ToArray();
            var random = UserRandom(drawSeed, u);
            for (int j = order.Length - 1; j > 0; j--)
            {
                int r = random.Next(j + 1);
                (order[j], order[r]) = (order[r], order[j]);
            }
            for (int j = 0; j < order.Length; j++) if (j % Folds == fold) isTest[order[j]] = true;
        }
    }
}
