namespace Repro.Tests.Support.DualTask;

// GPU keys and hand-made runs on them, for the alias, approval-from-CI and status tests (no training).
internal static class Fleet
{
    internal const string Test = "dualtask-small";

    internal static readonly EnvironmentFingerprint H100 = BaselineFiles.Environment("cuda", "NVIDIA H100 80GB HBM3");
    internal static readonly EnvironmentFingerprint H200 = BaselineFiles.Environment("cuda", "NVIDIA H200");
    internal static readonly EnvironmentFingerprint B200 = BaselineFiles.Environment("cuda", "NVIDIA B200");

    /// <summary>A complete run of the small config on <paramref name="environment"/>; equal arguments give bit-identical numbers.</summary>
    internal static BaselineFile Run(EnvironmentFingerprint environment, double loss = 1.0, string tensorHash = "aa", string test = Test) =>
        BaselineFiles.File(BaselineFiles.Fingerprint(loss, tensorHash: tensorHash, order: "batch-order-of-epoch-"), test, environment);

    internal static BaselineFile OnCi(this BaselineFile run, string runId) =>
        run with { Origin = new RunOrigin("github-actions", runId, $"https://ci.example/runs/{runId}", "gpu", "0123456789abcdef0123456789abcdef01234567", "runner-" + run.Environment.GpuModel!.Split(' ')[1].ToLowerInvariant()) };

    internal static ApprovalRecord Approval(string by) => new(by, new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero), "c0ffee", "test");
}
