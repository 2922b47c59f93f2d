namespace Repro;

// What changed between a baseline and this run among the things that can legitimately move numbers:
// the config, the code (the check's assembly, Repro's version), the environment and native stack.
// Drift needs one of them; a reproducing run that moved with none of them changed does not reproduce
// over time (the clock, the date, files it reads), and is never offered for acceptance.
internal static class RecordedChanges
{
    /// <summary>Each change in words; empty when nothing changed; null when the baseline records no code identity (so it cannot be told).</summary>
    internal static IReadOnlyList<string>? Between(BaselineFile baseline, BaselineFile current)
    {
        if (baseline.Fingerprint.Code is null) return null;
        var changes = new List<string>();
        if (baseline.Fingerprint.ConfigHash != current.Fingerprint.ConfigHash)
            changes.Add($"config {baseline.Fingerprint.ConfigHash} -> {current.Fingerprint.ConfigHash}");
        if (baseline.Fingerprint.Code != current.Fingerprint.Code)
            changes.Add($"code {baseline.Fingerprint.Code} -> {current.Fingerprint.Code ?? "(not recorded)"}");
        changes.AddRange(BaselineEnvironmentDiff.Differences(baseline.Environment, current.Environment, "").Select(f => f.What.TrimEnd('.')));
        return changes;
    }

    internal const string OverTimeFix = "Find what the training reads that changes between runs at other times: the clock (DateTime.Now, Environment.TickCount, Stopwatch) in seeds or data, " +
        "files or services it reads, caches that persist between processes; derive every seed from the check's Seed";

    /// <summary>The doctor's fix for numbers that move over time: <see cref="OverTimeFix"/>, and never accepting them.</summary>
    internal const string OverTimeDoctorFix = OverTimeFix + "; never accept these numbers: they would not reproduce either.";
}
