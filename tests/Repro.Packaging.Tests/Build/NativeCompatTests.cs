using System.Diagnostics;
using System.Security.Cryptography;
using Xunit;

namespace Repro.Packaging.Tests.Build;

// build/Repro.NativeCompat.targets on a real build: the output copy of libLibTorchSharp.so gets its
// GLIBCXX_3.4.32 requirement marked weak when the system libstdc++ lacks that version, the NuGet
// cache copy is never written, and building again changes nothing.
[Trait("Category", "MsBuild")]
[Collection(MsBuildCollection.Name)]
public sealed class NativeCompatTests(ProbeProject probe) : IClassFixture<ProbeProject>
{
    static string Readelf(string path)
    {
        var start = new ProcessStartInfo("readelf", ["-V", path]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }

    static string? FlagsOf(string readelf, string version) =>
        readelf.Split('\n').FirstOrDefault(l => l.Contains("Name: " + version + " ", StringComparison.Ordinal))?
            .Split("Flags:")[1].Trim().Split(' ')[0];

    static bool SystemHasVersion() =>
        File.Exists("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")
        && Readelf("/usr/lib/x86_64-linux-gnu/libstdc++.so.6").Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal);

    [Fact]
    public void The_output_copy_is_patched_once_and_the_nuget_cache_never_is()
    {
        Assert.True(probe.Restore.ExitCode == 0, probe.Restore.ToString());
        var cached = RepoPaths.TorchSharpNativeInCache;
        var cachedHash = SHA256.HashData(File.ReadAllBytes(cached));
        Assert.Equal("none", FlagsOf(Readelf(cached), "GLIBCXX_3.4.32"));

        var first = DotNetCli.Run(probe.Directory, "build", "--no-restore", "--disable-build-servers");
        Assert.True(first.ExitCode == 0, first.ToString());
        var output = Directory.GetFiles(Path.Combine(probe.Directory, "bin"), "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        if (SystemHasVersion())
        {
            Assert.Equal("none", FlagsOf(Readelf(output), "GLIBCXX_3.4.32"));
            return;
        }
        Assert.Contains("lacks GLIBCXX_3.4.32: marked the requirement weak in 1 file(s)", first.Output);
        Assert.Equal("WEAK", FlagsOf(Readelf(output), "GLIBCXX_3.4.32"));
        // Only that one requirement changed.
        Assert.Equal("none", FlagsOf(Readelf(output), "GLIBCXX_3.4.29"));

        var second = DotNetCli.Run(probe.Directory, "build", "--no-restore", "--disable-build-servers");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("WEAK", FlagsOf(Readelf(output), "GLIBCXX_3.4.32"));
        Assert.Equal(cachedHash, SHA256.HashData(File.ReadAllBytes(cached)));
    }
}
