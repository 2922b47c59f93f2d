namespace Repro;

internal static partial class Doctor
{
    // The baseline of this key (or the closest of the device's): what changed in the environment since it was
    // recorded and, when the runs here reproduce, which state moved and whether a recorded change explains it.
    static (ComparisonResult? AgainstBaseline, string? BaselinePath) CompareWithBaseline(
        TrainingCheck config, DoctorEvidence evidence, BaselineStore store, string test, EnvironmentFingerprint environment)
    {
        var findings = evidence.Findings;
        var (baseline, baselinePath, sameKey) = BaselineEnvironmentDiff.Find(store, test, environment);
        ComparisonResult? againstBaseline = null;
        if (baseline is null)
            findings.Add(new DoctorFinding(DoctorCodes.NoBaseline, FindingSeverity.Info,
                $"No verified baseline of '{test}' for {environment.Key} or any other {environment.Device} key, so there is no recorded environment to compare with.",
                store.Root, evidence.NonDeterministic || findings.Any(Blocks)
                    ? "Fix the errors above first: a baseline is recorded only from a training that reproduces."
                    : "Record one: run the check ('repro check', or the test that verifies it) then 'repro approve' (or pass the baseline's test name with --test)."));
        else
        {
            findings.AddRange(BaselineEnvironmentDiff.Differences(baseline.Environment, environment, baselinePath!));
            // Never drift next to a non-determinism finding: a run that may not reproduce is not a new baseline.
            // Compared only when the runs here reproduce: otherwise which state moved says nothing about the change.
            // With this run's settings beside it, so that a configuration change names each setting.
            BaselineFile? current = null;
            if (!evidence.NonDeterministic && sameKey && evidence.First is { } run)
            {
                current = new BaselineFile { Test = test, Key = environment.Key, Config = TrainingHarness.DescribeSettings(config).Settings, Environment = environment, Fingerprint = run };
                againstBaseline = FingerprintComparer.Compare(baseline, current);
            }
            if (againstBaseline is { Passed: false } comparison)
            {
                if (comparison.FirstMovedState is null && baseline.Fingerprint.Trace is null)
                    findings.Add(new DoctorFinding(DoctorCodes.BaselineWithoutTrace, FindingSeverity.Info,
                        "The baseline was recorded before baselines carried a compact trace, so the first piece of state that moved cannot be named; " +
                            "the comparison names only the metrics and tensors that moved.",
                        baselinePath!, "Nothing to fix in the training. A baseline approved from a run that reproduces (the doctor's verdict) carries the trace."));
                if (comparison.FirstMovedState is { SameItemsReordered: true } reordered)
                    findings.Add(new DoctorFinding(DoctorCodes.EnumerationOrder, FindingSeverity.Error,
                        $"The data holds the same items as the baseline's, in another order: {reordered.Summary}. Runs here agree with each other, " +
                            "but the order comes from this machine (its file system or a hash order), so another machine trains on another order.",
                        $"data stage '{reordered.Stage}'",
                        "Sort what you enumerate by a stable key before it reaches the data: Directory.EnumerateFiles(...).Order(StringComparer.Ordinal), OrderBy(name, " +
                            "StringComparer.Ordinal) over hash sets and dictionaries."));
                findings.Add(Drift(comparison, evidence, findings, environment, test, baselinePath!, RecordedChanges.Between(baseline, current!)));
            }
        }
        return (againstBaseline, baselinePath);
    }
}
