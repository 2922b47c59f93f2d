using System.CommandLine;

namespace Repro.Cli;

// Options shared by several commands, defined once so their names and help never drift apart.
internal static class CliOptions
{
    internal static readonly Option<bool> Json = new("--json") { Description = "Write one JSON document to stdout instead of text (for CI and scripts).", Recursive = true };

    internal static readonly Option<string> Config = new("--config", "-c")
    {
        Description = "Configuration: 'small' (seconds on CPU), 'chapter' (the chapter's model on an 800-unit fleet, a GPU configuration), 'chapter-fused' (the chapter with SDPA attention, " +
            "cuDNN batch norm and fused AdamW, CUDA only), 'small-fd004' (small on FD004-like data) or a JSON file.",
        HelpName = "small|chapter|chapter-fused|small-fd004|file.json",
        DefaultValueFactory = _ => "small",
    };

    internal static readonly Option<string> Device = new("--device", "-d")
    {
        Description = "auto (CUDA when available), cpu or cuda.",
        HelpName = "auto|cpu|cuda",
        DefaultValueFactory = _ => "auto",
    };

    internal static readonly Option<int?> Epochs = new("--epochs") { Description = "Override the config's epoch count.", HelpName = "n" };

    internal static readonly Option<string?> Assembly = new("--assembly") { Description = "Train a check of your own: the built assembly that holds it (with --check).", HelpName = "file.dll" };

    internal static readonly Option<string?> Check = new("--check") { Description = "The TrainingCheck type to train from --assembly (full or short name; needs a public parameterless constructor).", HelpName = "type" };

    internal static readonly Option<string?> Snapshots = new("--snapshots") { Description = "Snapshots folder (default: the repository's snapshots/, or REPRO_SNAPSHOTS).", HelpName = "dir" };

    internal static readonly Option<string?> Key = new("--key", "-k") { Description = "Environment key, e.g. nvidia-h100-80gb-hbm3/cuda-13.0 (default: this machine's).", HelpName = "key" };

    internal static readonly Option<bool> ValidateOnly = new("--validate-only")
    {
        Description = "Check the config, options, environment variables, device, baseline file and checkpoint as a real run would, say what would train, " +
            "and exit 0 without preparing data or training (exit 4 names what is wrong).",
    };

    internal static readonly Option<string?> Test = new("--test", "-t") { Description = "Test (baseline) name, e.g. dualtask-small.", HelpName = "name" };

    static CliOptions() => Device.AcceptOnlyFromAmong("auto", "cpu", "cuda");

    /// <summary>Adds the options of every command that trains: what to train, where, for how long.</summary>
    internal static void AddTraining(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Device);
        command.Options.Add(Epochs);
        command.Options.Add(Assembly);
        command.Options.Add(Check);
        command.Options.Add(ValidateOnly);
    }

    /// <summary>The check to train: a user's (--assembly/--check) or a built-in DualTask config.</summary>
    internal static CliCheck CheckOf(ParseResult result)
    {
        var assembly = result.GetValue(Assembly);
        var check = result.GetValue(Check);
        if (assembly is null && check is null) return CliCheck.FromConfig(ConfigOf(result));
        if (assembly is null || check is null)
            throw new ReproException("--assembly and --check go together: --assembly names the built assembly, --check the TrainingCheck type in it.");
        foreach (var option in new Option[] { Config, Device, Epochs })
            if (result.GetResult(option) is { Implicit: false })
                throw new ReproException($"{option.Name} applies to the built-in DualTask configs; a check from --assembly sets its own settings, device and epochs in code.");
        return CliCheck.FromAssembly(assembly, check);
    }

    internal static DeviceRequest DeviceOf(ParseResult result) => result.GetValue(Device) switch
    {
        "cpu" => DeviceRequest.Cpu,
        "cuda" => DeviceRequest.Cuda,
        _ => DeviceRequest.Auto,
    };

    internal static DualTaskConfig ConfigOf(ParseResult result)
    {
        var config = DualTaskConfigs.Resolve(result.GetValue(Config)!);
        // A config file's own device stands unless --device is given: overriding it silently would
        // change the config (and its hash) behind the user's back.
        if (result.GetResult(Device) is { Implicit: false })
            config = config with { Determinism = config.Determinism with { Device = DeviceOf(result) } };
        return result.GetValue(Epochs) is { } epochs ? config with { Epochs = epochs } : config;
    }

    internal static BaselineStore StoreOf(ParseResult result) => result.GetValue(Snapshots) switch
    {
        { Length: > 0 } dir => new BaselineStore(dir, $"--snapshots '{dir}'"),
        "" => throw new ReproException("--snapshots '' names no folder: pass the snapshots folder, or leave the option out to use REPRO_SNAPSHOTS or the repository's snapshots/."),
        _ => BaselineStore.Default(),
    };

    /// <summary>A file the command will write after training, checked before it: not a folder, and its folder exists.</summary>
    internal static void CheckOutputFile(string option, string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new ReproException($"{option} '{path}' is a folder; pass the path of the file to write (e.g. {Path.Combine(path, "run.json")}).");
        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
            throw new ReproException($"{option} '{path}': the folder {folder} does not exist (or is a file); create it first or write elsewhere.");
    }

    /// <summary>A folder the command will create or fill after training, checked before it: neither it nor a folder above it is a file.</summary>
    internal static void CheckOutputFolder(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ReproException($"{option} '{path}' names no folder; pass the folder to write into.");
        var full = Path.GetFullPath(path);
        for (var folder = full; folder is not null; folder = Path.GetDirectoryName(folder))
            if (File.Exists(folder))
                throw new ReproException(folder == full
                    ? $"{option} '{path}' is a file; pass a folder to write into (it is created when missing)."
                    : $"{option} '{path}' lies under {folder}, which is a file; pass a folder elsewhere.");
    }

    /// <summary>--test, checked before any work: it becomes a file name under the snapshots folder.</summary>
    internal static string? TestOf(ParseResult result)
    {
        if (result.GetValue(Test) is not { } test) return null;
        try { return BaselineStore.CheckTestName(test); }
        catch (ReproException ex) { throw new ReproException($"--test {ex.Message}", ex); }
    }

    internal static string? KeyOf(ParseResult result) => result.GetValue(Key) is { } key ? SafeNames.CheckKey(key, "--key") : null;
}
