namespace Repro.Reports;

/// <summary>What one report shows: a run, its baseline if any, and other environments' baselines of the same test.</summary>
internal sealed record ReportInput(BaselineFile Run, BaselineFile? Baseline, IReadOnlyList<BaselineFile> OtherKeys, ComparisonResult? Comparison)
{
    /// <summary>Gathers the baseline and other keys' baselines of a received (or verified) run from the store.</summary>
    public static ReportInput For(BaselineStore store, BaselineFile run)
    {
        var baseline = store.ReadVerified(run.Key, run.Test);
        var others = store.VerifiedOf(run.Test, run.Key).ToList();
        var comparison = baseline is null || ReferenceEquals(baseline, run) ? null : FingerprintComparer.Compare(baseline, run);
        return new ReportInput(run, baseline, others, comparison);
    }
}
