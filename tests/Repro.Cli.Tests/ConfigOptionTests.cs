using Repro.Cli;
using Xunit;

namespace Repro.Cli.Tests;

public sealed class ConfigOptionTests
{
    static DualTaskConfig Parse(params string[] args) => CliOptions.ConfigOf(CliRoot.Create().Parse(args));

    [Fact]
    public void A_config_files_device_stands_unless_device_is_given()
    {
        var path = Path.Combine(Path.GetTempPath(), $"repro-config-{Guid.NewGuid():N}.json");
        var onCpu = DualTaskConfig.Small with { Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu } };
        File.WriteAllText(path, ReproJson.Serialize(onCpu));
        try
        {
            Assert.Equal(DeviceRequest.Cpu, Parse("run", "--config", path).Determinism.Device);
            Assert.Equal(DualTaskRuns.ConfigHash(onCpu), DualTaskRuns.ConfigHash(Parse("run", "--config", path)));
            Assert.Equal(DeviceRequest.Cuda, Parse("run", "--config", path, "--device", "cuda").Determinism.Device);
            Assert.Equal(3, Parse("run", "--config", path, "--epochs", "3").Epochs);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
