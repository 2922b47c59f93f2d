using Repro.Native;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Native;

// LibTorchLocator reads REPRO_LIBTORCH_DIR through .NET's environment, which is process-wide:
// these tests join the serial collection and restore the variable.
[Collection(ReproCollection.Name)]
public sealed class LibTorchLocatorTests : IDisposable
{
    readonly string? _saved = Environment.GetEnvironmentVariable(LibTorchLocator.DirVariable);
    readonly string _scratch = Directory.CreateTempSubdirectory("repro-locator-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(LibTorchLocator.DirVariable, _saved);
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public void Missing_directory_is_named_with_the_fix()
    {
        var missing = Path.Combine(_scratch, "no-such-libtorch");
        Environment.SetEnvironmentVariable(LibTorchLocator.DirVariable, missing);
        var ex = Assert.Throws<ReproException>(() => LibTorchLocator.Locate());
        Assert.Contains("REPRO_LIBTORCH_DIR", ex.Message);
        Assert.Contains($"'{missing}'", ex.Message);
        Assert.Contains("does not exist", ex.Message);
        Assert.Contains("unset it", ex.Message);
    }

    [Fact]
    public void Directory_without_libtorch_cuda_says_so()
    {
        File.WriteAllText(Path.Combine(_scratch, "libtorch_cpu.so"), "");
        Environment.SetEnvironmentVariable(LibTorchLocator.DirVariable, _scratch);
        var ex = Assert.Throws<ReproException>(() => LibTorchLocator.Locate());
        Assert.Contains($"'{_scratch}'", ex.Message);
        Assert.Contains("no CUDA libtorch", ex.Message);
        Assert.Contains("libtorch_cuda.so", ex.Message);
    }

    [Fact]
    public void Complete_directory_is_taken_from_the_variable()
    {
        File.WriteAllText(Path.Combine(_scratch, "libtorch_cpu.so"), "");
        File.WriteAllText(Path.Combine(_scratch, "libtorch_cuda.so"), "");
        Environment.SetEnvironmentVariable(LibTorchLocator.DirVariable, _scratch);
        var located = LibTorchLocator.Locate();
        Assert.Equal(Path.GetFullPath(_scratch), located.Directory);
        Assert.Equal(LibTorchLocator.DirVariable, located.Source);
    }
}
