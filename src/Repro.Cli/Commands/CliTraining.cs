namespace Repro.Cli.Commands;

// Trains one config with the progress display; shared by run, check and calibrate.
internal static class CliTraining
{
    internal static (EnvironmentFingerprint Environment, TrainingFingerprint Fingerprint) Train(Output output, TrainingConfig config, string? title = null)
    {
        Determinism.Apply(config.Determinism with { Seed = config.Seed });
        var environment = EnvironmentFingerprint.Capture();
        output.Line($"Training {config.Name} on {environment.Device} ({environment.Key})");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var fingerprint = ConsoleProgress.Run(output, title ?? config.Name, progress => Trainer.Train(config, progress: progress));
        output.Line($"Trained {fingerprint.Epochs.Count} epochs in {started.Elapsed.TotalSeconds:F1} s; model hash {fingerprint.ModelHash}");
        return (environment, fingerprint);
    }
}
