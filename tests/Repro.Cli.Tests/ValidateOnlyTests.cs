using System.Text.Json;
using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// --validate-only on every command that trains: what a real run would refuse before training is
// refused the same way (exit 4), and a usable input exits 0 saying what would train, having trained
// and written nothing.
[Collection(ReproCollection.Name)]
public sealed class ValidateOnlyTests
{
    public static TheoryData<string> TrainingCommands => ["check", "run", "doctor", "calibrate", "export"];

    [Theory]
    [MemberData(nameof(TrainingCommands))]
    public void A_usable_input_exits_0_without_training_or_writing(string command)
    {
        // REPRO_ACCEPT=true: a check that trained would write the baseline.
        using var env = EnvironmentScope.Workstation((AcceptSwitch.Variable, "true"));
        using var workspace = new CliWorkspace();
        var config = TinyInputs.Write(workspace.Root, "tiny.json", ReproJson.Serialize(TinyInputs.Config));
        var exported = Path.Combine(workspace.Root, "export");

        var result = CliRun.Invoke(Arguments(command, config, workspace, exported, "--validate-only"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Valid: tiny would train on " + EnvironmentFingerprint.Capture().Key, result.Out);
        Assert.DoesNotContain("Training tiny", result.Out + result.Error);
        Assert.False(Directory.Exists(workspace.Snapshots), "--validate-only wrote under the snapshots folder:\n" + result);
        Assert.False(Directory.Exists(exported), "--validate-only exported:\n" + result);
    }

    [Theory]
    [MemberData(nameof(TrainingCommands))]
    public void An_input_a_real_run_refuses_is_refused_the_same_way(string command)
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var config = TinyInputs.Write(workspace.Root, "hidden0.json", ReproJson.Serialize(TinyInputs.Config with { Model = TinyInputs.Config.Model with { HiddenSize = 0 } }));

        var result = CliRun.Invoke([.. Arguments(command, config, workspace, Path.Combine(workspace.Root, "export"), "--validate-only"), "--json"]);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("HiddenSize=0", result.Error.Split('\n')[0]);
        using var document = JsonDocument.Parse(result.Out);
        Assert.Equal("error", document.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void A_resume_is_checked_against_its_checkpoint_without_training()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var config = TinyInputs.Write(workspace.Root, "two.json", ReproJson.Serialize(TinyInputs.Config with { Epochs = 2 }));
        var checkpoints = Path.Combine(workspace.Root, "checkpoints");
        var stopped = CliRun.Invoke("run", "--config", config, "--device", "cpu", "--checkpoint-dir", checkpoints, "--stop-after", "1");
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        var before = FolderState.Of(checkpoints);

        var valid = CliRun.Invoke("run", "--resume", checkpoints, "--validate-only", "--json");
        var refused = CliRun.Invoke("run", "--resume", checkpoints, "--config", config, "--epochs", "3", "--validate-only");

        Assert.True(valid.ExitCode == 0, valid.ToString());
        using (var document = JsonDocument.Parse(valid.Out)) Assert.Equal("valid", document.RootElement.GetProperty("status").GetString());
        Assert.True(refused.ExitCode == 4, refused.ToString());
        Assert.Contains("epochs 2 -> 3", refused.Error.Split('\n')[0]);
        Assert.Equal(before, FolderState.Of(checkpoints));
    }

    static string[] Arguments(string command, string config, CliWorkspace workspace, string exported, string validateOnly) => command switch
    {
        "check" or "doctor" or "calibrate" => [command, "--config", config, "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", "validate-only", validateOnly],
        "export" => [command, "--config", config, "--device", "cpu", "--out", exported, validateOnly],
        _ => [command, "--config", config, "--device", "cpu", validateOnly],
    };
}
