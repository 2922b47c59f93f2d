namespace Repro.Cli.Commands;

// The re-runs 'check' does outside this process before it calls a mismatch drift: a plain second
// process (per-process causes such as string-hash order), then one with every doctor perturbation at
// once (processor count, thread-pool minimum, environment order, GC mode, culture). Lazy: the second
// is trained only when the first matched.
internal static class SecondProcesses
{
    internal static IEnumerable<OtherRun> Runs(Output output, CliCheck check)
    {
        using var instance = check.Create();
        var options = new DoctorOptions();
        output.Line("Identical in this process; training in a second process...");
        yield return new OtherRun("a run in a second process", Train(instance, options, null));
        var all = Perturbation.Combine(Perturbation.Standard());
        output.Line("Identical in a second process; training in a perturbed one...");
        yield return new OtherRun($"a run in a second process with {all.Name}", Train(instance, options, all));
    }

    static TrainingFingerprint Train(TrainingCheck check, DoctorOptions options, Perturbation? perturbation) =>
        ChildProcessRun.Train(check, options, perturbation).Fingerprint;
}
