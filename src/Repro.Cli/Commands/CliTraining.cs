namespace Repro.Cli.Commands;

// Trains one check with the progress display; shared by run, check and calibrate.
internal static class CliTraining
{
    static int _notesShown;

    internal static TrainedRun Train(Output output, CliCheck check, string? title = null, CheckpointOptions? checkpoints = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        output.Line(checkpoints?.ResumeFrom is { } resume ? $"Resuming {check.Name} from {resume}..." : $"Training {check.Name}...");
        var run = ConsoleProgress.Run(output, title ?? check.Name, progress => checkpoints is null
            ? TrainingHarness.Train(check.Create(), progress)
            : TrainingHarness.Train(check.Create(), checkpoints, progress));
        output.Line($"Trained {run.Fingerprint.Epochs.Count} epochs on {run.Environment.Device} ({run.Environment.Key}) in {started.Elapsed.TotalSeconds:F1} s; model hash {run.Fingerprint.ModelHash}");
        // Whether the run learned, at a glance: first -> last and a sparkline per metric, the final metrics and evaluation records.
        foreach (var line in LearningCurve.Summary(run.Fingerprint)) output.Line(line);
        // How the device was chosen (a fallback to CPU, REPRO_DEVICE overridden by --device) is never silent.
        if (Interlocked.Exchange(ref _notesShown, 1) == 0)
            foreach (var note in NativeRuntime.Current?.Notes ?? []) output.Line($"Note: {note}");
        return run;
    }

    /// <summary>
    /// What would fail after training, checked before it: the check's settings and determinism options,
    /// this machine's key, the baseline file there (damaged, or a folder in its place) and the accept switch.
    /// </summary>
    internal static void Preflight(CliCheck check, BaselineStore store, string test)
    {
        using var probe = check.Create();
        CheckValidation.Validate(probe);
        TrainingHarness.DescribeSettings(probe);
        Determinism.Apply(probe.Determinism with { Seed = probe.Seed });
        _ = store.ReadVerified(EnvironmentFingerprint.Capture().Key, test);
        _ = AcceptSwitch.IsOn();
    }

    internal static BaselineFile FileOf(TrainedRun run, string test) =>
        new() { Test = test, Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint };
}
