namespace DeskdropML.Trainers.Warp;

/// <summary>Progress report of one finished training epoch of <see cref="WarpTrainer"/>.</summary>
/// <param name="Epoch">1-based epoch number over the model's whole life (continues across FitPartial calls).</param>
/// <param name="EpochInCall">1-based epoch number within the current Fit/FitPartial call.</param>
/// <param name="EpochsInCall">Number of epochs the current call runs.</param>
/// <param name="MeanLoss">Mean per-sample loss seen during the epoch (before each sample's step): for WARP and
/// k-OS the rank-weighted hinge <c>c·(1 - s_ui + s_uj)</c> (0 when no violating negative was found), for BPR
/// <c>w·ln(1 + e^{-(s_ui - s_uj)})</c>, for logistic the weighted log loss.</param>
/// <param name="UpdateFraction">Fraction of the epoch's samples that produced a parameter update (for WARP: found
/// a violating negative within MaxSampled draws; it falls as the model learns).</param>
/// <param name="Elapsed">Wall time of the epoch.</param>
public sealed record WarpEpochInfo(int Epoch, int EpochInCall, int EpochsInCall, double MeanLoss, double UpdateFraction, TimeSpan Elapsed);
