using Xunit;
using static Repro.Tests.Support.DualTask.Fleet;

namespace Repro.Tests.Baselines;

// The verdicts a failing test and 'repro check' print, whole, as approved text: no baseline, a mismatch
// that reproduces here but could not be settled elsewhere, drift, and non-determinism in this process
// and in another one. The snapshots folder is written as {snapshots} so the text is the same everywhere.
[Collection(Repro.Xunit.ReproCollection.Name)]
public sealed class VerdictSnapshotTests
{
    static TrainedRun AsRun(BaselineFile file) => new(file.Fingerprint.Name, file.Config, file.Environment, file.Fingerprint);

    [Fact]
    public void The_verdicts_read_as_approved()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        var moved = Run(H200, loss: 2.0);
        var sections = new List<(string Title, BaselineOutcome Outcome)>
        {
            ("no baseline", BaselineCheck.Verify(store, Test, AsRun(Run(H200)), accept: false, isTest: true)),
        };
        snapshots.Write(Run(H200));
        sections.Add(("a mismatch that reproduces here, with no second process",
            BaselineCheck.Verify(store, Test, AsRun(moved), rerun: () => moved.Fingerprint, accept: false, isTest: true, elsewhereUnavailable: "the check has no public parameterless constructor")));
        sections.Add(("drift: it reproduces here and in a second process",
            BaselineCheck.Verify(store, Test, AsRun(moved), rerun: () => moved.Fingerprint, accept: false, isTest: true,
                elsewhere: () => [new OtherRun("a second process", moved.Fingerprint)])));
        sections.Add(("non-deterministic in this process",
            BaselineCheck.Verify(store, Test, AsRun(moved), rerun: () => Run(H200, loss: 3.0).Fingerprint, accept: false, isTest: true)));
        sections.Add(("non-deterministic across processes",
            BaselineCheck.Verify(store, Test, AsRun(moved), rerun: () => moved.Fingerprint, accept: false, isTest: true,
                elsewhere: () => [new OtherRun("a second process", Run(H200, loss: 3.0).Fingerprint)])));

        var text = string.Join("\n", sections.Select(s => $"## {s.Title} ({s.Outcome.Status})\n{s.Outcome.Message.Replace(store.Root, "{snapshots}", StringComparison.Ordinal)}"));

        Snapshot.Match(text, "verdicts");
    }
}
