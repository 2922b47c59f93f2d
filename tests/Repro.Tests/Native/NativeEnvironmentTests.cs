using Repro.Native;
using Xunit;

namespace Repro.Tests.Native;

// cuBLAS reads CUBLAS_WORKSPACE_CONFIG with getenv when it initialises, so it must be in the
// native environment from process start: build/Repro.TestEnvironment.targets puts it there via runsettings.
public sealed class NativeEnvironmentTests
{
    [Fact]
    public void Cublas_workspace_config_is_in_the_native_environment()
    {
        Assert.Equal(":4096:8", LibC.GetEnv("CUBLAS_WORKSPACE_CONFIG"));
    }

    // Repro.Advanced.Determinism.Apply also setenv()s the variable when it is missing, which would hide a broken
    // runsettings path. /proc/self/environ is the environment the process was started with; setenv
    // never changes it, so this proves the variable came from outside.
    [Fact]
    public void Cublas_workspace_config_was_there_when_the_test_host_started()
    {
        Assert.SkipUnless(File.Exists("/proc/self/environ"), "needs Linux /proc");
        var initial = File.ReadAllText("/proc/self/environ").Split('\0');
        Assert.Contains("CUBLAS_WORKSPACE_CONFIG=:4096:8", initial);
    }
}
