using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Repro.Native;

namespace Repro;

// The portable CPU profile: what makes a CPU training give the same bits on every x86-64 vendor
// (measured op by op in docs/portable-cpu.md). MKL picks kernels by vendor unless MKL_CBWR pins its
// "compatible" code path; float sqrt is the one op that pin leaves vendor-dependent, so Repro's own
// optimizer takes it through float64, whose rounding to float32 is exact; .NET's own SIMD width
// decides the summation order of TensorPrimitives and Vector<T> code, so it is pinned to the width
// every x86-64 machine with AVX2 has.
internal static class CpuProfile
{
    internal const string MklVariable = "MKL_CBWR";
    internal const string MklPortable = "COMPATIBLE";
    internal const string VectorWidthVariable = "DOTNET_PreferredVectorBitWidth";
    internal const int PortableVectorBits = 256;
    internal const string Portable = "portable", Native = "native";
    internal const string ProfileVariable = "REPRO_CPU_PROFILE";

    /// <summary>REPRO_CPU_PROFILE: unset, "auto" or "portable" is the portable profile, "native" MKL's own choice.</summary>
    internal static bool FromEnvironment() => ReproVariables.Choice(ProfileVariable, true, "a CPU profile",
        "portable (the default: one CPU baseline for every x86-64 vendor) or native (MKL's fastest vendor-specific kernels; baselines name the vendor)",
        (Portable, true), (Native, false));

    /// <summary>Whether this process trains under the portable profile (set where the native environment is prepared and by Determinism.Apply).</summary>
    internal static bool Active { get; set; } = true;

    /// <summary>The widest vector .NET's JIT uses here: 512, 256 or 128 (DOTNET_PreferredVectorBitWidth and the CPU decide).</summary>
    internal static int ManagedVectorBits() =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>The variable as the runtime read it at start-up, for the child processes Repro starts: the same width as this process.</summary>
    internal static string ChildVectorWidth() =>
        System.Environment.GetEnvironmentVariable(VectorWidthVariable) ?? ManagedVectorBits().ToString(CultureInfo.InvariantCulture);

    internal static void Validate(string? value)
    {
        if (value is null) return;
        if (!string.Equals(value.Trim(), MklPortable, StringComparison.OrdinalIgnoreCase))
            throw new ReproException($"{MklVariable}={value} is set in the environment, but the portable CPU profile needs {MklVariable}={MklPortable} (MKL's vendor-independent code path). " +
                "Unset it, or turn the profile off (DeterminismOptions.PortableCpu = false, or REPRO_CPU_PROFILE=native) to keep MKL's choice; baselines then name the CPU vendor.");
    }

    /// <summary>Sets MKL_CBWR before libtorch loads; MKL reads it once, at its first call.</summary>
    internal static void Prepare(bool portable)
    {
        Active = portable;
        if (!portable) return;
        var existing = LibC.GetEnv(MklVariable);
        Validate(existing);
        if (existing is null) LibC.SetEnv(MklVariable, MklPortable);
    }

    static (string Path, string? Branch)? _branch;

    /// <summary>
    /// MKL's conditional-numerical-reproducibility branch as the loaded libtorch reports it
    /// (mkl_cbwr_get), e.g. "compatible"; the variable's value when this libtorch exports no MKL.
    /// Read once per library: MKL fixes its branch when it initialises.
    /// </summary>
    internal static string? MklBranch(string libTorchPath)
    {
        if (_branch is { } known && known.Path == libTorchPath) return known.Branch;
        var branch = ReadMklBranch(libTorchPath);
        _branch = (libTorchPath, branch);
        return branch;
    }

    static string? ReadMklBranch(string libTorchPath)
    {
        if (!File.Exists(libTorchPath) || !NativeLibrary.TryLoad(libTorchPath, out var handle)) return LibC.GetEnv(MklVariable)?.ToLowerInvariant();
        try
        {
            if (!NativeLibrary.TryGetExport(handle, "mkl_serv_cbwr_get", out var export)) return LibC.GetEnv(MklVariable)?.ToLowerInvariant();
            int branch;
            unsafe { branch = ((delegate* unmanaged<int, int>)export)(1); }
            // mkl_cbwr.h: MKL_CBWR_BRANCH_OFF 1, MKL_CBWR_AUTO 2, MKL_CBWR_COMPATIBLE 3; higher values name an instruction set.
            return branch switch { 1 => "off", 2 => "auto", 3 => "compatible", _ => "branch-" + branch.ToString(CultureInfo.InvariantCulture) };
        }
        finally
        {
            // The library stays loaded by TorchSharp; this drops only the reference TryLoad added.
            NativeLibrary.Free(handle);
        }
    }
}
