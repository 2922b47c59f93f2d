namespace Repro.Cli.Commands;

// Trains one check with the progress display; shared by run, check and calibrate.
internal static class CliTraining
{
    internal static TrainedRun Train(Output output, CliCheck check, string? title = null, CheckpointOptions? checkpoints = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        output.Line(checkpoints?.ResumeFrom is { } resume ? $"Resuming {check.Name} from {resume}..." : $"Training {check.Name}...");
        var run = ConsoleProgress.Run(output, title ?? check.Name, progress => checkpoints is null
            ? TrainingHarness.Train(check.Create(), progress)
            : TrainingHarness.Train(check.Create(), checkpoints, progress));
        output.Line($"Trained {run.Fingerprint.Epochs.Count} epochs on {run.Environment.Device} ({run.Environment.Key}) in {started.Elapsed.TotalSeconds:F1} s; model hash {run.Fingerprint.ModelHash}");
        return run;
    }

    internal static BaselineFile FileOf(TrainedRun run, string test) =>
        new() { Test = test, Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint };
}
