using Xunit;

namespace Repro.Tests.Doctor;

// The doctor's report layout, whole, as approved text: verdict, run pairs, perturbations, the first
// divergence, the findings with where and fix, and the audit.
public sealed class DoctorReportSnapshotTests
{
    [Fact]
    public void A_non_deterministic_report_reads_as_approved()
    {
        var report = new DoctorReport
        {
            Verdict = DoctorVerdict.NonDeterministic,
            Check = "MyCheck",
            Device = "cpu",
            InProcessIdentical = true,
            CrossProcessIdentical = false,
            Perturbations =
            [
                new PerturbationResult("processor-count", "processor count 2 vs 8", true),
                new PerturbationResult("time-zone", "time zone UTC vs Asia/Kathmandu", false),
            ],
            FirstDivergence = new FirstDivergence(3, 1, "forward", "fc1", "fc1.input", true),
            Findings =
            [
                new DoctorFinding(DoctorCodes.NondeterministicOverTime, FindingSeverity.Error,
                    "Two processes of the same code, settings and environment trained different numbers.", "epoch 1, fc1.weight",
                    "Find what reads the clock, the process or the machine: seed everything from the check's settings."),
                new DoctorFinding(DoctorCodes.NoBaseline, FindingSeverity.Info, "No verified baseline of 'MyCheck' for this key.", "snapshots",
                    "Record one from a training that reproduces."),
            ],
            Audit = [new AuditFact("deterministic algorithms", "on"), new AuditFact("intra-op threads", "2")],
        };

        Snapshot.Match(report.Render(), "doctor-report-nondeterministic");
    }
}
