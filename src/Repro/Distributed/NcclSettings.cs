using Repro.Native;

namespace Repro;

// The NCCL environment a rank runs under, set natively (NCCL reads getenv) before the communicator is
// created. NVLink multicast (NVLS) is always off, as the lent machines require; the algorithm and the
// protocol are pinned (Ring/Simple unless the user pinned others) so an all-reduce adds in one order run
// after run, and both are recorded in the fingerprint.
internal static class NcclSettings
{
    internal const string Nvls = "NCCL_NVLS_ENABLE", Algorithm = "NCCL_ALGO", Protocol = "NCCL_PROTO";
    internal const string DefaultAlgorithm = "Ring", DefaultProtocol = "Simple";

    internal static (string Algorithm, string Protocol) Apply()
    {
        LibC.SetEnv(Nvls, "0");
        var algorithm = Pin(Algorithm, DefaultAlgorithm);
        var protocol = Pin(Protocol, DefaultProtocol);
        return (algorithm, protocol);
    }

    // A user's pin stands when it names one choice; a list ("Ring,Tree") or an exclusion ("^LL128") leaves NCCL a choice per call.
    static string Pin(string variable, string fallback)
    {
        var value = LibC.GetEnv(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            LibC.SetEnv(variable, fallback);
            return fallback;
        }
        if (value.Contains(',', StringComparison.Ordinal) || value.StartsWith('^'))
            throw new ReproException($"{variable}='{value}' lets NCCL choose per call, so an all-reduce could add in different orders; set one value (e.g. {variable}={fallback}) or unset it.");
        return value.Trim();
    }
}
