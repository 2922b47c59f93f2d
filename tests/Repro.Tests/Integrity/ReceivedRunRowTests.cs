using System.IO.Compression;
using System.Text.Json.Nodes;
using Repro.Xunit;
using Xunit;
using static Repro.Tests.Support.DualTask.Fleet;

namespace Repro.Tests.Integrity;

// Issue 26 rows 1 and 14: received runs that were damaged, edited, relabelled or trained with another
// config are refused by 'approve' (with --from and locally), and no committed baseline changes.
[Collection(ReproCollection.Name)]
public sealed class ReceivedRunRowTests
{
    [Fact]
    public void Row_1_a_damaged_zip_an_edited_metric_a_relabelled_cpu_run_and_another_config_are_all_refused_by_approve_from()
    {
        using var env = EnvironmentScope.Workstation();
        using var snapshots = new TempSnapshots();
        var committed = Run(H100, loss: 2.0) with { Approval = Approval("maintainers") };
        IntegrityFiles.WriteSealed(snapshots.Store.VerifiedPath(H100.Key, Test), committed);
        var before = IntegrityFiles.Snapshot(snapshots.Root);
        var artifacts = Directory.CreateTempSubdirectory("repro-row1-").FullName;
        try
        {
            // A zip whose stored entry lost its CRC: one whitespace byte changed, which no JSON reader would notice.
            var sealedH200 = BaselineSeal.ToJson(Run(H200));
            var zip = Path.Combine(artifacts, "crc.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            using (var writer = new StreamWriter(archive.CreateEntry(Test + BaselineStore.ReceivedSuffix, CompressionLevel.NoCompression).Open()))
                writer.Write(sealedH200);
            var bytes = File.ReadAllBytes(zip);
            var at = bytes.AsSpan().IndexOf("\n  \"test\""u8);
            bytes[at + 1] = (byte)'\t';
            File.WriteAllBytes(zip, bytes);
            AssertRefused(snapshots, zip, "CRC-32");

            // One digit of a metric edited in a sealed received file.
            var edited = IntegrityFiles.WriteSealed(Path.Combine(artifacts, "edited", Test + BaselineStore.ReceivedSuffix), Run(H200));
            var node = IntegrityFiles.Node(edited);
            var metrics = node["fingerprint"]!["epochs"]![0]!["metrics"]!.AsObject();
            var name = metrics.First().Key;
            metrics[name] = (double)metrics[name]! + 1e-9;
            IntegrityFiles.Save(edited, node);
            AssertRefused(snapshots, edited, "does not match its digest");

            // A CPU run relabelled with the H100 environment block: its fingerprint still says cpu.
            var cpu = BaselineFiles.File(BaselineFiles.Fingerprint(), Test);
            var relabelled = cpu with { Key = H100.Key, Environment = H100 };
            var relabelledPath = IntegrityFiles.WriteSealed(Path.Combine(artifacts, "relabelled", Test + BaselineStore.ReceivedSuffix), relabelled);
            AssertRefused(snapshots, relabelledPath, "relabelled");

            // A run of another config that calls itself dualtask-small.
            var other = DualTaskConfig.Small with { LearningRate = DualTaskConfig.Small.LearningRate * 2 };
            var otherRun = Run(H100) with { Config = DualTaskRuns.Settings(other), Fingerprint = Run(H100).Fingerprint with { ConfigHash = DualTaskRuns.ConfigHash(other) } };
            var otherPath = IntegrityFiles.WriteSealed(Path.Combine(artifacts, "other", Test + BaselineStore.ReceivedSuffix), otherRun);
            AssertRefused(snapshots, otherPath, "config");

            Assert.Equal(before, IntegrityFiles.Snapshot(snapshots.Root));
        }
        finally { Directory.Delete(artifacts, recursive: true); }
    }

    [Fact]
    public void Row_14_a_local_approve_of_a_dualtask_small_received_file_trained_with_another_config_is_refused()
    {
        using var env = EnvironmentScope.Workstation();
        using var snapshots = new TempSnapshots();
        var other = DualTaskConfig.Small with { LearningRate = DualTaskConfig.Small.LearningRate * 2 };
        var run = IntegrityFiles.CpuRun();
        run = run with { Config = DualTaskRuns.Settings(other), Fingerprint = run.Fingerprint with { ConfigHash = DualTaskRuns.ConfigHash(other) } };
        IntegrityFiles.WriteSealed(snapshots.Store.ReceivedPath(run.Key, Test), run);

        var result = CliRun.Invoke("approve", "--key", run.Key, "--test", Test, "--snapshots", snapshots.Root);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("this checkout's dualtask-small has config", result.Error);
        Assert.False(File.Exists(snapshots.Store.VerifiedPath(run.Key, Test)));
        Assert.True(File.Exists(snapshots.Store.ReceivedPath(run.Key, Test)));
    }

    static void AssertRefused(TempSnapshots snapshots, string from, string expected)
    {
        var result = CliRun.Invoke("approve", "--from", from, "--snapshots", snapshots.Root);
        Assert.True(result.ExitCode == 4, result.ToString());
        // One line names the problem (and the fix).
        Assert.Contains(expected, result.Error.Trim().Split('\n')[0]);
    }
}
