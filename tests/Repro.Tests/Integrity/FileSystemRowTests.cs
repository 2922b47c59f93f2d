using Xunit;
using Repro.Tests.Baselines;

namespace Repro.Tests.Integrity;

// Issue 26 rows 2, 4, 5, 6 and 9: Repro deletes only what it wrote, never reaches outside the snapshots
// folder through a link, creates its error file where no one can plant a link, refuses FIFOs, devices
// and link loops quickly, and keeps the verdict when the received file cannot be written.
public sealed class FileSystemRowTests
{
    static readonly TimeSpan Quickly = TimeSpan.FromSeconds(20);

    [Fact]
    public void Row_2_a_passing_check_removes_its_own_received_files_by_exact_name_and_leaves_another_tests_baseline()
    {
        using var snapshots = new TempSnapshots();
        var baseline = IntegrityFiles.CpuRun() with { Test = "tiny" };
        var other = baseline with { Test = "tiny.received.bar" };
        IntegrityFiles.WriteSealed(snapshots.Store.VerifiedPath(baseline.Key, "tiny"), baseline);
        var otherPath = IntegrityFiles.WriteSealed(snapshots.Store.VerifiedPath(other.Key, other.Test), other);
        var received = IntegrityFiles.WriteSealed(snapshots.Store.ReceivedPath(baseline.Key, "tiny"), baseline);
        File.WriteAllText(snapshots.Store.DiffPath(baseline.Key, "tiny"), "old diff");

        var outcome = BaselineCheck.Verify(snapshots.Store, "tiny", new TrainedRun("t", baseline.Config, baseline.Environment, baseline.Fingerprint), accept: false);

        Assert.Equal(BaselineStatus.Passed, outcome.Status);
        Assert.False(File.Exists(received));
        Assert.False(File.Exists(snapshots.Store.DiffPath(baseline.Key, "tiny")));
        Assert.True(File.Exists(otherPath), "another test's committed baseline was deleted");
        Assert.NotNull(snapshots.Store.ReadVerified(other.Key, other.Test));
    }

    [Fact]
    public void Row_4_a_key_folder_that_links_outside_the_snapshots_is_refused_and_nothing_outside_is_written_or_deleted()
    {
        using var snapshots = new TempSnapshots();
        var outside = Directory.CreateTempSubdirectory("repro-outside-").FullName;
        try
        {
            var run = IntegrityFiles.CpuRun();
            File.WriteAllText(Path.Combine(outside, "unrelated.txt"), "keep me");
            IntegrityFiles.WriteSealed(Path.Combine(outside, IntegrityFiles.Test + BaselineStore.ReceivedSuffix), run);
            var parts = run.Key.Split('/');
            Directory.CreateDirectory(Path.Combine(snapshots.Root, parts[0]));
            Directory.CreateSymbolicLink(Path.Combine(snapshots.Root, parts[0], parts[1]), outside);
            var before = IntegrityFiles.Snapshot(outside);

            var check = Assert.Throws<ReproException>(() => BaselineCheck.Verify(snapshots.Store, IntegrityFiles.Test, new TrainedRun("t", run.Config, run.Environment, run.Fingerprint), accept: false));
            var approve = snapshots.Store.Approve(run.Key, null, allKeys: false, route: "test");

            Assert.Contains("outside", check.Message);
            Assert.Empty(approve.Accepted);
            Assert.Equal(before, IntegrityFiles.Snapshot(outside));
        }
        finally { Directory.Delete(outside, recursive: true); }
    }

    [Fact]
    public void Row_5_the_error_details_file_is_created_new_in_a_private_folder_and_never_follows_a_planted_link()
    {
        var victim = Path.Combine(Directory.CreateTempSubdirectory("repro-victim-").FullName, "victim.txt");
        File.WriteAllText(victim, "untouched");
        var folder = PrivateTemp.Directory();
        var planted = new List<string>();
        try
        {
            // Links at every name the next seconds could give, as an attacker who knows the pattern would plant them.
            for (var s = 0; s < 3; s++)
            {
                var path = Path.Combine(folder, $"repro-error-{DateTime.UtcNow.AddSeconds(s):yyyyMMdd-HHmmss}-{Environment.ProcessId}.txt");
                if (!Path.Exists(path)) { File.CreateSymbolicLink(path, victim); planted.Add(path); }
            }

            var written = PrivateTemp.CreateNewFile("repro-error", ".txt", "details");

            Assert.Equal("untouched", File.ReadAllText(victim));
            Assert.Null(new FileInfo(written).LinkTarget);
            Assert.Equal("details", File.ReadAllText(written));
            Assert.NotEqual(Path.TrimEndingDirectorySeparator(Path.GetTempPath()), Path.GetDirectoryName(written));
            if (OperatingSystem.IsLinux())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(written)!));
            File.Delete(written);
        }
        finally
        {
            foreach (var link in planted) File.Delete(link);
            Directory.Delete(Path.GetDirectoryName(victim)!, recursive: true);
        }
    }

    [Fact]
    public async Task Row_6_a_fifo_a_link_to_dev_zero_and_folders_that_link_to_themselves_are_refused_or_skipped_quickly()
    {
        using var snapshots = new TempSnapshots();
        var run = IntegrityFiles.CpuRun();
        var received = snapshots.Store.ReceivedPath(run.Key, IntegrityFiles.Test);
        Directory.CreateDirectory(Path.GetDirectoryName(received)!);

        IntegrityFiles.MakeFifo(received);
        var fifo = await Within(() => Assert.Throws<ReproException>(() => snapshots.Store.ReadReceived(run.Key, IntegrityFiles.Test)), "reading a FIFO hung");
        Assert.Contains("FIFO", fifo.Message);
        File.Delete(received);

        File.CreateSymbolicLink(received, "/dev/zero");
        var zero = Assert.Throws<ReproException>(() => snapshots.Store.ReadReceived(run.Key, IntegrityFiles.Test));
        Assert.Contains("/dev/zero, outside", zero.Message);
        Assert.Contains("character device", Assert.Throws<ReproException>(() => SafeFile.ReadAllText("/dev/zero", "Received file")).Message);
        File.Delete(received);

        // A folder with a link back to itself, in the snapshots and in an artifacts folder.
        IntegrityFiles.WriteSealed(received, run);
        Directory.CreateSymbolicLink(Path.Combine(snapshots.Root, "loop"), snapshots.Root);
        var (listed, artifacts) = await Within(() => (snapshots.Store.Received(), ReceivedArtifacts.Load(snapshots.Root)), "a link loop made the walk hang");
        Assert.Single(listed);
        Assert.Single(artifacts);
    }

    // A hang fails the test instead of the whole run (the blocked thread is abandoned).
    static async Task<T> Within<T>(Func<T> work, string hang)
    {
        var task = Task.Run(work, TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(task, Task.Delay(Quickly, TestContext.Current.CancellationToken));
        Assert.True(first == task, hang);
        return await task;
    }

    [Fact]
    public void Row_9_a_mismatch_whose_received_file_cannot_be_written_still_reports_the_mismatch_with_a_warning()
    {
        using var snapshots = new TempSnapshots();
        var baseline = IntegrityFiles.CpuRun();
        IntegrityFiles.WriteSealed(snapshots.Store.VerifiedPath(baseline.Key, IntegrityFiles.Test), baseline);
        // Runs as root here, where a read-only mode does not stop writes: a folder in the received file's place does.
        Directory.CreateDirectory(snapshots.Store.ReceivedPath(baseline.Key, IntegrityFiles.Test));
        var changed = IntegrityFiles.CpuRun(loss: 1.5);

        var outcome = BaselineCheck.Verify(snapshots.Store, IntegrityFiles.Test, new TrainedRun("t", changed.Config, changed.Environment, changed.Fingerprint), accept: false);

        Assert.Equal(BaselineStatus.Mismatch, outcome.Status);
        Assert.Contains("warning: the received file could not be written", outcome.Message);
        Assert.Null(outcome.ReceivedPath);
    }
}
