using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Baselines;

// The consumed order is an optional fingerprint field: written where the steps did not train the planned
// order, sealed by the baseline's digest like every other field, and read back unchanged.
[Collection(ReproCollection.Name)]
public sealed class ConsumedOrderBaselineTests
{
    [CpuFact(DisplayName = "Baseline: a run that consumed its batches out of the planned order is approved with its consumed-order hashes, sealed by the digest, " +
        "read back and verified against itself")]
    public void A_consumed_order_survives_approval_and_is_sealed()
    {
        using var snapshots = new TempSnapshots();
        var run = TrainingHarness.Train(new BatchesInCompletionOrder());
        var recorded = run.Fingerprint.Epochs.Select(e => e.ConsumedOrderHash).ToList();
        Assert.Contains(recorded, h => h is not null);

        var approved = BaselineCheck.Verify(snapshots.Store, nameof(BatchesInCompletionOrder), run, accept: true);
        Assert.Equal(BaselineStatus.Accepted, approved.Status);
        var read = snapshots.Store.ReadVerified(approved.Key, nameof(BatchesInCompletionOrder))!;
        Assert.Equal(recorded, read.Fingerprint.Epochs.Select(e => e.ConsumedOrderHash));

        // The digest covers it: another consumed order in the file is refused as tampered.
        var path = snapshots.Store.VerifiedPath(approved.Key, nameof(BatchesInCompletionOrder));
        var hash = recorded.First(h => h is not null)!;
        File.WriteAllText(path, File.ReadAllText(path).Replace(hash, new string('0', hash.Length), StringComparison.Ordinal));
        Assert.ThrowsAny<ReproException>(() => snapshots.Store.ReadVerified(approved.Key, nameof(BatchesInCompletionOrder)));
    }
}
