using DeskdropML.Sparse;

namespace DeskdropML.Trainers;

/// <summary>The checks every closed-form trainer (item-kNN, EASE, PureSVD) makes on its training matrix.</summary>
internal static class TrainingInput
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="interactions"/> is users x items, has a stored
    /// entry and holds only finite strengths &gt;= 0.
    /// </summary>
    /// <param name="interactions">Users x items strengths.</param>
    /// <param name="users">Row ids.</param>
    /// <param name="items">Column ids.</param>
    /// <param name="trainer">The trainer's name for the messages.</param>
    public static void Validate(CsrMatrix interactions, IdMap users, IdMap items, string trainer)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (interactions.Rows != users.Count || interactions.Columns != items.Count)
            throw new ArgumentException(
                $"The interaction matrix is {interactions.Rows} x {interactions.Columns} but there are {users.Count} users and {items.Count} items; rows must be users and columns items.",
                nameof(interactions));
        if (interactions.NonZeroCount == 0)
            throw new ArgumentException($"The interaction matrix has no stored entry; {trainer} needs at least one interaction.", nameof(interactions));
        ReadOnlySpan<float> values = interactions.Values;
        for (int p = 0; p < values.Length; p++)
            if (!float.IsFinite(values[p]) || values[p] < 0)
                throw new ArgumentException($"Stored entry {p} of the interaction matrix is {values[p]}; strengths must be finite and >= 0.", nameof(interactions));
    }
}
