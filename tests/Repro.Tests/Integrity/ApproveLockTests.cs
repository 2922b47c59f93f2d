using Xunit;
using Repro.Tests.Baselines;

namespace Repro.Tests.Integrity;

// Deliverable 4's second lock: a snapshots key folder is held while approve writes there, so a second
// approver cannot interleave its verified and alias files with the first one's; the lock file itself
// stays out of the committed folder.
public sealed class ApproveLockTests
{
    [Fact]
    public void A_second_approver_of_a_key_folder_is_refused_naming_the_folder_and_the_holder_and_writes_nothing()
    {
        using var snapshots = new TempSnapshots();
        var run = IntegrityFiles.CpuRun();
        IntegrityFiles.WriteSealed(snapshots.Store.ReceivedPath(run.Key, run.Test), run);
        var folder = Path.GetDirectoryName(snapshots.Store.VerifiedPath(run.Key, run.Test))!;

        using (FolderLock.AcquireOutside(folder, "approve"))
        {
            var error = Assert.Throws<ReproException>(() => snapshots.Store.Approve(run.Key, run.Test, allKeys: false, route: "test"));
            Assert.Contains(folder, error.Message);
            Assert.Contains($"pid {Environment.ProcessId}", error.Message);
            Assert.False(File.Exists(snapshots.Store.VerifiedPath(run.Key, run.Test)));
        }

        var approved = snapshots.Store.Approve(run.Key, run.Test, allKeys: false, route: "test");
        Assert.Single(approved.Accepted);
        // The lock lives outside the committed folder: nothing but the baseline lands in git status.
        Assert.Equal([Path.GetFileName(snapshots.Store.VerifiedPath(run.Key, run.Test))], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }
}
