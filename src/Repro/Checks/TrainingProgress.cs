namespace Repro.Advanced;

/// <summary>Reported after every batch and every epoch, for progress displays.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Configured epoch count.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches in this epoch.</param>
/// <param name="Completed">The finished epoch's record, on the last report of each epoch.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, EpochRecord? Completed);
