using System.CommandLine;
using Repro.Cli;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// The CLI is a thin layer over Doctor.Diagnose; what it owns is the exit code, checked here with the
// audit only (no training), so it costs milliseconds.
[Collection(ReproCollection.Name)]
public sealed class DoctorCommandTests
{
    static int Run(params string[] args)
    {
        var root = new RootCommand();
        root.Options.Add(CliOptions.Json);
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return CommandRunner.Run(root, args);
    }

    static string ConfigFile(DualTaskConfig config)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("repro-doctor-cli-").FullName, "config.json");
        File.WriteAllText(path, ReproJson.Serialize(config));
        return path;
    }

    [Fact]
    public void Exit_code_is_0_when_clean_and_1_when_only_warnings()
    {
        var snapshots = DoctorSetup.EmptyStore().Root;
        Assert.Equal(ExitCodes.Pass, Run("doctor", "--audit-only", "--device", "cpu", "--snapshots", snapshots, "--config", ConfigFile(DoctorSetup.Tiny())));
        var unpinned = DoctorSetup.Tiny() with { Determinism = DoctorSetup.Tiny().Determinism with { CpuCapability = null } };
        Assert.Equal(ExitCodes.Mismatch, Run("doctor", "--audit-only", "--device", "cpu", "--snapshots", snapshots, "--config", ConfigFile(unpinned)));
    }

    [Fact]
    public void Doctor_is_in_the_catalogue() =>
        Assert.Contains(CommandCatalog.All(), c => c.Name == "doctor");
}
