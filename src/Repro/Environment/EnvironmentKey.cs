using System.Globalization;
using System.Text;

namespace Repro;

/// <summary>
/// Baseline keys: they separate environments whose numerics legitimately differ and nothing finer,
/// so one baseline serves every identical machine. Readable as a folder path.
/// </summary>
internal static class EnvironmentKey
{
    /// <summary>
    /// CUDA: gpu-model/cuda-X.Y. CPU under the portable profile: cpu-x86-capability/libtorch-X.Y.Z-threads-N,
    /// one key for every vendor; under the native profile (and in baselines recorded before profiles) the
    /// vendor replaces the architecture: cpu-amd-avx2/... A .NET SIMD width other than 256 bits adds -simdN.
    /// </summary>
    public static string For(EnvironmentFingerprint environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // A plain all-reduce adds in an order that depends on the world size, so its numbers belong to that
        // size (-gpusN); the world-size-invariant mode's do not, and one process's keys never change.
        var gpus = environment.WorldSize is > 1 and var n && environment.DistributedMode != Rendezvous.ModeName(DistributedMode.WorldSizeInvariant)
            ? $"-gpus{n.ToString(CultureInfo.InvariantCulture)}" : "";
        if (environment.Device == "cuda")
            return $"{Slug(environment.GpuModel ?? "unknown-gpu")}{gpus}/cuda-{environment.CudaRuntimeVersion ?? "unknown"}";
        var machine = environment.CpuProfile == CpuProfile.Portable ? Architecture(environment.CpuArchitecture)
            : string.IsNullOrEmpty(environment.CpuVendor) ? null : Slug(environment.CpuVendor);
        var simd = environment.ManagedVectorBits is { } bits && bits != CpuProfile.PortableVectorBits ? $"-simd{bits.ToString(CultureInfo.InvariantCulture)}" : "";
        return $"cpu-{(machine is null ? "" : machine + "-")}{Slug(environment.CpuCapability)}{simd}{gpus}/libtorch-{Slug(environment.LibTorchVersion)}-threads-{environment.IntraOpThreads.ToString(CultureInfo.InvariantCulture)}";
    }

    // "x86" for x64 (the key's readers think of the instruction-set family); other architectures by name.
    static string? Architecture(string? architecture) => architecture switch
    {
        null or "" => null,
        "x64" => "x86",
        var other => Slug(other),
    };

    /// <summary>Lower-case letters, digits, '.', '+' and '-' only: safe as a folder name everywhere.</summary>
    public static string Slug(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '+') builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        return builder.ToString().Trim('-');
    }

    /// <summary>Checks a user-given key (e.g. from the CLI) and says what is wrong with it.</summary>
    public static string Validate(string key)
    {
        var parts = key.Split('/');
        // "." and ".." are valid slugs but would leave the snapshots folder when used as a path.
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || Slug(p) != p || p.Trim('.').Length == 0))
            throw new ReproException($"'{key}' is not an environment key. Keys look like 'nvidia-h200/cuda-13.0' or 'cpu-x86-avx2/libtorch-2.10.0-threads-2'; 'repro env' prints this machine's.");
        return key;
    }
}
