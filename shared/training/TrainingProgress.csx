#nullable enable
/// <summary>A progress report from <see cref="ClassifierTrainer"/>: during training (Phase "train"), evaluation ("eval") and when an epoch is done ("epoch").</summary>
public sealed record TrainingProgress(string Phase, int Epoch, int Epochs, int Step, int Steps, double Loss, double S, double Z,
                                      double LearningRate, EpochRecord? Completed = null);
