using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Repro.Native;
using TorchSharp;

namespace Repro;

internal static partial class EnvironmentProbe
{
    internal static EnvironmentFingerprint Capture()
    {
        var runtime = NativeRuntime.EnsureInitialized();
        var config = ATenContext.ShowConfig;
        var cuda = runtime.IsCuda ? CudaStack.Read() : null;
        return new EnvironmentFingerprint
        {
            Device = runtime.Device,
            GpuModel = cuda?.GpuName,
            ComputeCapability = cuda?.ComputeCapability,
            DriverVersion = cuda?.DriverVersion,
            CudaRuntimeVersion = cuda?.CudaRuntimeVersion,
            CudaDriverApiVersion = cuda?.CudaDriverVersion,
            CudnnVersion = cuda?.CudnnVersion,
            CublasVersion = cuda?.CublasVersion,
            LibTorchVersion = TorchVersionPattern().Match(config) is { Success: true } m ? m.Groups[1].Value : "unknown",
            LibTorchPath = runtime.LibTorchPath,
            LibTorchSource = runtime.Source,
            TorchSharpVersion = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown",
            CpuModel = CpuModel(),
            CpuVendor = CpuVendor(),
            CpuCapability = ATenContext.CpuCapability.ToLowerInvariant(),
            CpuArchitecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            CpuProfile = Repro.CpuProfile.Active ? Repro.CpuProfile.Portable : Repro.CpuProfile.Native,
            MklBranch = Repro.CpuProfile.MklBranch(runtime.LibTorchPath),
            ManagedVectorBits = Repro.CpuProfile.ManagedVectorBits(),
            IntraOpThreads = torch.get_num_threads(),
            ProcessorCount = System.Environment.ProcessorCount,
            OperatingSystem = OsName(),
            DotNetRuntime = RuntimeInformation.FrameworkDescription,
        };
    }

    internal static string CpuModel()
    {
        if (File.Exists("/proc/cpuinfo"))
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal))
                    return line[(line.IndexOf(':') + 1)..].Trim();
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    static string? CpuVendor()
    {
        if (File.Exists("/proc/cpuinfo"))
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("vendor_id", StringComparison.Ordinal))
                    return line[(line.IndexOf(':') + 1)..].Trim() switch
                    {
                        "GenuineIntel" => "intel",
                        "AuthenticAMD" => "amd",
                        var other => EnvironmentKey.Slug(other),
                    };
        return RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? null : RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }

    static string OsName()
    {
        if (File.Exists("/etc/os-release"))
            foreach (var line in File.ReadLines("/etc/os-release"))
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                    return line["PRETTY_NAME=".Length..].Trim('"');
        return RuntimeInformation.OSDescription;
    }

    [GeneratedRegex(@"TORCH_VERSION=([0-9A-Za-z.+]+)")]
    private static partial Regex TorchVersionPattern();
}
