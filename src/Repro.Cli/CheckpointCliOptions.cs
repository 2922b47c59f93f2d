using System.CommandLine;

namespace Repro.Cli;

// The checkpoint and resume options of 'repro run' (docs/checkpoints.md).
internal static class CheckpointCliOptions
{
    internal static readonly Option<string?> Directory = new("--checkpoint-dir") { Description = "Write checkpoints into this folder (a sub-folder each, written atomically; " +
        "the newest --checkpoint-keep are kept).", HelpName = "dir" };

    internal static readonly Option<int?> EveryEpochs = new("--checkpoint-every") { Description = "Write a checkpoint at the end of every N-th epoch.", HelpName = "n" };

    internal static readonly Option<long?> EverySteps = new("--checkpoint-every-steps") { Description = "Write a checkpoint after every N-th training step, inside epochs too.", HelpName = "n" };

    internal static readonly Option<int?> Keep = new("--checkpoint-keep") { Description = "Complete checkpoints to keep (default 2).", HelpName = "n" };

    internal static readonly Option<string?> Resume = new("--resume") { Description = "Resume from a checkpoint folder, or from the latest checkpoint in a --checkpoint-dir folder; " +
        "the finished run has the fingerprint of an uninterrupted one. Without --config, the checkpoint's own config is used.", HelpName = "dir" };

    internal static readonly Option<string?> StopAfter = new("--stop-after") { Description = "Write a checkpoint at E (the end of epoch E) or E:S (after step S of epoch E) and stop there, e.g. " +
        "to split a run across jobs.", HelpName = "E|E:S" };

    static readonly Option[] All = [Directory, EveryEpochs, EverySteps, Keep, Resume, StopAfter];

    internal static void Add(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The checkpoint options, or null when none was given.</summary>
    internal static CheckpointOptions? Of(ParseResult result)
    {
        if (All.All(o => result.GetResult(o) is null or { Implicit: true })) return null;
        var resume = result.GetValue(Resume);
        var writes = result.GetValue(EveryEpochs) is not null || result.GetValue(EverySteps) is not null || result.GetValue(StopAfter) is not null;
        // Resuming and checkpointing again: into the folder the checkpoint came from, unless told otherwise.
        var directory = result.GetValue(Directory) ?? (resume is not null && writes ? RootOf(resume) : null);
        if (directory is not null && !writes && resume is null)
            throw new ReproException("--checkpoint-dir says where checkpoints go, but not when: add --checkpoint-every N (epochs), --checkpoint-every-steps N or --stop-after E[:S].");
        return new CheckpointOptions
        {
            Directory = directory,
            EveryEpochs = Positive(result.GetValue(EveryEpochs), EveryEpochs) ?? 0,
            EverySteps = Positive(result.GetValue(EverySteps), EverySteps) ?? 0,
            Keep = (int)(Positive(result.GetValue(Keep), Keep) ?? 2),
            StopAfter = result.GetValue(StopAfter) is { } stop ? CheckpointPosition.Parse(stop) : null,
            ResumeFrom = resume,
        };
    }

    /// <summary>
    /// The check to train: as the training options say, except that '--resume' without '--config' (or
    /// '--assembly') trains the DualTask config the checkpoint was written with.
    /// </summary>
    internal static CliCheck CheckOf(ParseResult result)
    {
        if (result.GetValue(Resume) is not { } resume
            || result.GetResult(CliOptions.Config) is { Implicit: false }
            || result.GetValue(CliOptions.Assembly) is not null || result.GetValue(CliOptions.Check) is not null)
            return CliOptions.CheckOf(result);
        var settings = CheckpointReader.ReadManifest(CheckpointFolder.Resolve(resume)).Settings;
        DualTaskConfig config;
        try
        {
            config = ReproJson.Deserialize<DualTaskConfig>(settings.GetRawText());
            config.Validate();
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ReproException($"The checkpoint in {resume} was not written by a built-in DualTask config ({ex.Message}); " +
                "pass the check that wrote it with --assembly and --check (or its --config).", ex);
        }
        if (result.GetResult(CliOptions.Device) is { Implicit: false })
            config = config with { Determinism = config.Determinism with { Device = CliOptions.DeviceOf(result) } };
        if (result.GetValue(CliOptions.Epochs) is { } epochs) config = config with { Epochs = epochs };
        return CliCheck.FromConfig(config);
    }

    static string RootOf(string resume) =>
        File.Exists(Path.Combine(resume, "manifest.json")) ? Path.GetDirectoryName(Path.GetFullPath(resume))! : resume;

    static T? Positive<T>(T? value, Option option) where T : struct, System.Numerics.INumber<T>
    {
        if (value is { } v && v <= T.Zero) throw new ReproException($"{option.Name} {v} must be a positive number.");
        return value;
    }
}
