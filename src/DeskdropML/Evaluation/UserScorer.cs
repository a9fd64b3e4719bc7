namespace DeskdropML.Evaluation;

/// <summary>
/// Writes a score for every item (column of the evaluated matrices) for one user; higher is better.
/// </summary>
/// <param name="userIndex">Row of the train/test matrices.</param>
/// <param name="scores">Receives one score per item; its length is the number of items. NaN ranks last.</param>
/// <remarks>The evaluator calls the scorer from several threads at once unless it runs single-threaded, so the
/// scorer must be thread-safe and must not keep <paramref name="scores"/> (the buffer is reused). Memory: the buffer
/// is the worker's, sized once (4 bytes per item); a scorer should need no more than a row of its own per call, so that
/// evaluation memory does not grow with the number of users.</remarks>
public delegate void UserScorer(int userIndex, Span<float> scores);
