using CsCheck;
using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// Generated command lines over every command and option, with valid and invalid values: whatever is
// typed, the invariants of CliInvariants hold. Training commands get the tiny config unless the
// generator picks another (never a long one: 'small' and 'chapter' are left out for time only).
[Collection(ReproCollection.Name)]
public sealed class OptionPropertyTests
{
    static readonly string[] Commands = ["check", "run", "approve", "diff", "env", "calibrate", "report", "doctor", "export", "frob"];

    // Placeholders, replaced per case by paths in that case's workspace.
    static readonly Dictionary<string, string[]> Pools = new()
    {
        ["--config"] = ["{tiny}", "{tiny}", "{missing}", "{folder}", "{garbage}", "{hidden0}", ""],
        ["--device"] = ["cpu", "auto", "cuda", "metal", ""],
        ["--epochs"] = ["1", "0", "-1", "many", "2"],
        ["--snapshots"] = ["{snapshots}", "{snapshots}", "{file}", "{file}/sub", "", "{root}/new/deeper"],
        ["--test"] = ["t1", "ok.name", "../x", ".hidden", "", "a/b", "x:y"],
        ["--key"] = ["cpu-x/y", "{thiskey}", "../x", "", "a b", "cpu/../../etc"],
        ["--out"] = ["{root}/out.json", "{root}/outdir", "{file}/x", "{root}/missing/parent/out"],
        ["--runs"] = ["2", "1", "0", "-5", "x"],
        ["--widening"] = ["0.5", "0", "-1", "NaN", "x"],
        ["--assembly"] = ["{tests}", "{file}", "{missing}"],
        ["--check"] = ["TinyCheck", "NoSuchCheck", "Repro.Cli.Tests.OptionPropertyTests"],
        ["--all-keys"] = [],
        ["--no-rerun"] = [],
        ["--print-config"] = [],
        ["--audit-only"] = [],
        ["--json"] = [],
        ["--validate-only"] = [],
    };

    static readonly Gen<(string Command, (string Option, int Value)[] Options)> CommandLines =
        Gen.Select(Gen.OneOf(Commands), Gen.Select(Gen.OneOf([.. Pools.Keys]), Gen.Int[0, 99]).Array[0, 5]);

    [Fact]
    public void Generated_command_lines_keep_every_invariant()
    {
        using var env = EnvironmentScope.Workstation();
        Property.Check(CommandLines, line =>
        {
            using var workspace = new CliWorkspace();
            var args = Arguments(line.Command, line.Options, workspace);
            var before = FolderState.Of(workspace.Snapshots);

            var result = CliRun.Invoke(args);

            CliInvariants.Hold(result, json: args.Contains("--json"), before, FolderState.Of(workspace.Snapshots), "repro " + string.Join(' ', args));
        }, ciCases: 30, seed: 20260402);
    }

    static string[] Arguments(string command, (string Option, int Value)[] options, CliWorkspace workspace)
    {
        var args = new List<string> { command };
        var chosen = options.DistinctBy(o => o.Option).ToList();
        // Doctor trains twice, calibrate at least twice: always the tiny config, so a case costs seconds at most.
        if (command is "check" or "run" or "doctor" or "calibrate" or "export" && !chosen.Any(o => o.Option is "--config" or "--assembly" or "--check"))
            chosen.Add(("--config", 0));
        // Never the repository's snapshots/: a command that takes the option always gets a folder of this case's own.
        if (command is "check" or "approve" or "diff" or "report" or "doctor" or "calibrate" && !chosen.Any(o => o.Option == "--snapshots"))
            chosen.Add(("--snapshots", 0));
        if (Property.ValidateOnly && command is "check" or "run" or "doctor" or "calibrate" or "export" && !chosen.Any(o => o.Option == "--validate-only"))
            chosen.Add(("--validate-only", 0));
        foreach (var (option, value) in chosen)
        {
            args.Add(option);
            var pool = Pools[option];
            if (pool.Length > 0) args.Add(Resolve(pool[value % pool.Length], workspace));
        }
        return [.. args];
    }

    static string Resolve(string value, CliWorkspace workspace)
    {
        string Make(string name, string text) => File.Exists(Path.Combine(workspace.Root, name)) ? Path.Combine(workspace.Root, name) : TinyInputs.Write(workspace.Root, name, text);
        return value
            .Replace("{tiny}", Make("tiny.json", ReproJson.Serialize(TinyInputs.Config)), StringComparison.Ordinal)
            .Replace("{hidden0}", Make("hidden0.json", ReproJson.Serialize(TinyInputs.Config).Replace("\"hiddenSize\": 32", "\"hiddenSize\": 0", StringComparison.Ordinal)), StringComparison.Ordinal)
            .Replace("{garbage}", Make("garbage.json", "{\"epochs\": "), StringComparison.Ordinal)
            .Replace("{file}", Make("a-file", "not a folder"), StringComparison.Ordinal)
            .Replace("{folder}", Directory.CreateDirectory(Path.Combine(workspace.Root, "folder")).FullName, StringComparison.Ordinal)
            .Replace("{missing}", Path.Combine(workspace.Root, "missing.json"), StringComparison.Ordinal)
            .Replace("{snapshots}", workspace.Snapshots, StringComparison.Ordinal)
            .Replace("{thiskey}", EnvironmentFingerprint.Capture().Key, StringComparison.Ordinal)
            .Replace("{tests}", typeof(OptionPropertyTests).Assembly.Location, StringComparison.Ordinal)
            .Replace("{root}", workspace.Root, StringComparison.Ordinal);
    }
}

/// <summary>The smallest user check there is, for --assembly/--check: a public parameterless constructor and a two-parameter model.</summary>
public sealed class TinyCheck : TrainingCheck
{
    /// <inheritdoc />
    public override int Epochs => 1;

    /// <inheritdoc />
    protected internal override TorchSharp.torch.nn.Module CreateModel(TrainingContext context) => TorchSharp.torch.nn.Linear(1, 1);

    /// <inheritdoc />
    protected internal override TorchSharp.torch.optim.Optimizer CreateOptimizer(TorchSharp.torch.nn.Module model, TrainingContext context) =>
        TorchSharp.torch.optim.SGD(model.parameters(), 0.1);

    /// <inheritdoc />
    protected internal override Metrics TrainEpoch(EpochContext context) => new() { ["loss"] = 1.0 };
}
