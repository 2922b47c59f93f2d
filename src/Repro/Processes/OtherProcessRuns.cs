namespace Repro;

// The re-runs a baseline check does outside this process before it calls a mismatch drift: a plain
// second process (per-process causes such as string-hash order), then one with every doctor
// perturbation at once. Lazy: the second is trained only when the first matched.
internal static class OtherProcessRuns
{
    /// <summary>Why a second process cannot train the check here (null when it can): the verdict then stays unsettled.</summary>
    internal static string? Unavailable(TrainingCheck check) => ChildProcessRun.Unavailable(check, new DoctorOptions());

    internal static IEnumerable<OtherRun> Of(Func<TrainingCheck> create, Action<string>? log = null)
    {
        using var check = create();
        var options = new DoctorOptions();
        log?.Invoke("Identical in this process; training in a second process...");
        yield return new OtherRun("a run in a second process", ChildProcessRun.Train(check, options).Fingerprint);
        var all = Perturbation.Combine(Perturbation.Standard());
        log?.Invoke("Identical in a second process; training in a perturbed one...");
        yield return new OtherRun($"a run in a second process with {all.Name}", ChildProcessRun.Train(check, options, all).Fingerprint);
    }
}
