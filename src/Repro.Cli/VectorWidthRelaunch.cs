using System.Diagnostics;
using System.Reflection;
using System.Runtime.Intrinsics;

namespace Repro.Cli;

// The portable CPU profile pins .NET's SIMD width to 256 bits, but the runtime reads
// DOTNET_PreferredVectorBitWidth once, at start-up: on a machine whose JIT would use 512-bit vectors
// the CLI starts itself again with the variable set, so that a user check's managed float code
// (TensorPrimitives, Vector<T>) sums in the same order here as on an AVX2-only CI runner.
// Setting the variable yourself (any value) skips this; a width other than 256 then shows in the key.
internal static class VectorWidthRelaunch
{
    internal static int? Run(string[] args)
    {
        if (System.Environment.GetEnvironmentVariable(CpuProfile.VectorWidthVariable) is not null || !Vector512.IsHardwareAccelerated)
            return null;
        var entry = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry)) return null;
        // The same host choice (apphost beside the assembly, else this dotnet) as Repro's child processes.
        var start = ChildProcessRun.ExecutableStart(entry);
        foreach (var argument in args) start.ArgumentList.Add(argument);
        start.Environment[CpuProfile.VectorWidthVariable] = CpuProfile.PortableVectorBits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Ctrl+C reaches both processes; the restarted one decides how to stop, this one waits for it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var child = Process.Start(start);
        if (child is null) return null;
        child.WaitForExit();
        return child.ExitCode;
    }
}
