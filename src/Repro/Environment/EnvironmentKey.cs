using System.Globalization;
using System.Text;

namespace Repro;

/// <summary>
/// Baseline keys: they separate environments whose numerics legitimately differ and nothing finer,
/// so one baseline serves every identical machine. Readable as a folder path.
/// </summary>
public static class EnvironmentKey
{
    /// <summary>CUDA: gpu-model/cuda-X.Y. CPU: cpu-vendor-capability/libtorch-X.Y.Z-threads-N (no vendor when unknown).</summary>
    public static string For(EnvironmentFingerprint environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Device == "cuda")
            return $"{Slug(environment.GpuModel ?? "unknown-gpu")}/cuda-{environment.CudaRuntimeVersion ?? "unknown"}";
        var vendor = string.IsNullOrEmpty(environment.CpuVendor) ? "" : Slug(environment.CpuVendor) + "-";
        return $"cpu-{vendor}{Slug(environment.CpuCapability)}/libtorch-{Slug(environment.LibTorchVersion)}-threads-{environment.IntraOpThreads.ToString(CultureInfo.InvariantCulture)}";
    }

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
            throw new ReproException($"'{key}' is not an environment key. Keys look like 'nvidia-h100-80gb-hbm3/cuda-13.0' or 'cpu-intel-avx2/libtorch-2.10.0-threads-2'; 'repro env' prints this machine's.");
        return key;
    }
}
