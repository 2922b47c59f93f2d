using Repro.Native;

namespace Repro;

// Every environment variable Repro documents, checked in one call before any long work: a value
// Repro cannot use is an error naming the variable, the value and the fix, never silently ignored.
// Each variable is also checked where it is read, so library callers get the same messages.
internal static class ReproVariables
{
    internal static void ValidateAll()
    {
        _ = NativeRuntime.RequestFromEnvironment();
        _ = CpuProfile.FromEnvironment();
        _ = ParameterLayouts.FromEnvironment();
        _ = StepCaptures.FromEnvironment();
        AcceptSwitch.ValidateValue(System.Environment.GetEnvironmentVariable(AcceptSwitch.Variable));
        if (System.Environment.GetEnvironmentVariable(BaselineStore.SnapshotsVariable) is { Length: > 0 })
            _ = BaselineStore.Default();
        if (System.Environment.GetEnvironmentVariable(LibTorchLocator.DirVariable) is { Length: > 0 })
            _ = LibTorchLocator.Locate();
        Determinism.ValidateNativeVariables();
        // A rank's rendezvous, when a launcher set one: a damaged one is refused before the rank loads anything.
        _ = Rendezvous.FromEnvironment(System.Environment.GetEnvironmentVariable);
    }

    /// <summary>
    /// A variable naming one of a few choices (any case, spaces trimmed): unset, empty or "auto" gives
    /// <paramref name="auto"/>; a value it does not name is "{variable}='{value}' is not {what}. Use {use}."
    /// </summary>
    internal static T Choice<T>(string variable, T auto, string what, string use, params (string Name, T Value)[] choices)
    {
        var value = System.Environment.GetEnvironmentVariable(variable);
        var name = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(name) || name == "auto") return auto;
        foreach (var choice in choices)
            if (choice.Name == name) return choice.Value;
        throw new ReproException($"{variable}='{value}' is not {what}. Use {use}.");
    }
}
