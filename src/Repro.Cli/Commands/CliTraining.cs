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
        output.Line($"Trained {run.Fingerprint.Epochs.Count} epochs on {run.Environment.Device} ({run.Environment.Key}) in {started.Elapsed.TotalSeconds:F1} s; " +
            $"model hash {run.Fingerprint.ModelHash}");
        if (run.Steps is { } steps) output.Line($"Steps: {steps}");
        // Whether the run learned, at a glance: first -> last and a sparkline per metric, the final metrics and evaluation records.
        foreach (var line in LearningCurve.Summary(run.Fingerprint)) output.Line(line);
        // How the device was chosen (a fallback to CPU, REPRO_DEVICE overridden by --device) is never silent.
        if (Interlocked.Exchange(ref _notesShown, 1) == 0)
            foreach (var note in NativeRuntime.Current?.Notes ?? []) output.Line($"Note: {note}");
        return run;
    }

    /// <summary>
    /// What would fail after training, checked before it: the check's settings and determinism options,
    /// this machine's key, the baseline file there (damaged, or a folder in its place), the accept switch
    /// and the checkpoint to resume from. Returns this machine's key.
    /// </summary>
    internal static string Preflight(CliCheck check, BaselineStore? store, string? test, CheckpointOptions? checkpoints = null)
    {
        using var probe = check.Create();
        CheckValidation.Validate(probe);
        checkpoints?.Validate(probe);
        var settings = TrainingHarness.DescribeSettings(probe).Settings;
        Determinism.Apply(probe.Determinism with { Seed = probe.Seed });
        // REPRO_STEP_CAPTURE=cuda-graph on a CPU run would only fail once the check builds its step.
        _ = StepCaptures.UseGraph(StepCapture.Auto, NativeRuntime.Current?.IsCuda == true, eagerBecause: null);
        var environment = EnvironmentFingerprint.Capture();
        if (store is not null && test is not null) _ = store.ReadVerified(environment.Key, test);
        _ = AcceptSwitch.IsOn();
        if (checkpoints?.ResumeFrom is not null) _ = CheckpointSession.Open(checkpoints, probe, NativeRuntime.EnsureInitialized(), environment, settings);
        return environment.Key;
    }

    /// <summary>
    /// --validate-only: after the command's own checks, runs <see cref="Preflight"/>, says what would
    /// train and returns true; the command then exits 0 without training.
    /// </summary>
    internal static bool StopBeforeTraining(System.CommandLine.ParseResult result, Output output, CliCheck check, BaselineStore? store = null, string? test = null, CheckpointOptions? checkpoints = null)
    {
        if (!result.GetValue(CliOptions.ValidateOnly)) return false;
        var key = Preflight(check, store, test, checkpoints);
        var baseline = store is not null && test is not null ? store.VerifiedPath(key, test) : null;
        output.Line($"Valid: {check.Name} would train on {key}" + (baseline is null ? "" : $" against {baseline}" + (File.Exists(baseline) ? "" : " (no baseline yet)"))
            + (checkpoints?.ResumeFrom is { } resume ? $", resuming from {CheckpointFolder.Resolve(resume)}" : "") + ". Nothing was trained (--validate-only).");
        output.Document(new { status = "valid", check = check.Name, key, baseline, baselineExists = baseline is not null && File.Exists(baseline) });
        return true;
    }

    internal static BaselineFile FileOf(TrainedRun run, string test) =>
        new() { Test = test, Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint };
}
