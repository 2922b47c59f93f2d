using System.IO.Compression;
using Xunit;
using Repro.Tests.Integrity;

namespace Repro.Tests.Baselines.Tamper;

// Issue 26 deliverable 7: every tampered received file, verified file, artifact zip and checkpoint is
// refused with a ReproException, or (when the change left the content as it was, e.g. whitespace) read
// as exactly the original; never accepted with other content, never another exception, never a write
// outside its folder. CI runs a fixed seed and few cases; CsCheck_Iter=10000 runs the long version
// (docs/security.md records it).
public sealed class TamperSuiteTests
{
    const int CiCases = 1000;

    [Fact]
    public void Tampered_files_are_refused_by_name_or_read_unchanged_and_nothing_outside_is_written()
    {
        Property.Check(TamperCase.Gen, Run, CiCases, seed: 26);
    }

    static void Run(TamperCase c)
    {
        var work = Directory.CreateTempSubdirectory("repro-tamper-").FullName;
        try
        {
            var outside = Directory.CreateDirectory(Path.Combine(work, "outside")).FullName;
            File.WriteAllText(Path.Combine(outside, "unrelated.txt"), "keep");
            var inside = Path.Combine(work, "inside");
            var (target, read) = Prepare(c.Target, inside);
            var original = read();
            Tamperer.Apply(target, c, outside);
            var before = IntegrityFiles.Snapshot(outside);

            string? after;
            try { after = read(); }
            catch (ReproException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                after = null;
            }

            // Accepted at all (nothing accepted, "", is a refusal too): then exactly what was written.
            if (!string.IsNullOrEmpty(after)) Assert.Equal(original, after);
            Assert.Equal(before, IntegrityFiles.Snapshot(outside));
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    // The file to damage, and how Repro reads it, as a canonical text of what it accepted ("" for nothing).
    static (string Target, Func<string?> Read) Prepare(TamperTarget target, string inside)
    {
        var run = IntegrityFiles.CpuRun();
        switch (target)
        {
            case TamperTarget.Verified:
            {
                var store = new BaselineStore(Path.Combine(inside, "snapshots"));
                var path = IntegrityFiles.WriteSealed(store.VerifiedPath(run.Key, run.Test), run);
                return (path, () => store.ReadVerified(run.Key, run.Test) is { } file ? ReproJson.Serialize(file) : "");
            }
            case TamperTarget.Received:
            {
                var artifacts = Path.Combine(inside, "artifacts");
                var path = IntegrityFiles.WriteSealed(Path.Combine(artifacts, "job", run.Test + BaselineStore.ReceivedSuffix), run);
                return (path, () => Approved(artifacts, inside));
            }
            case TamperTarget.Zip:
            {
                var zip = Path.Combine(inside, "artifact.zip");
                Directory.CreateDirectory(inside);
                using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
                using (var writer = new StreamWriter(archive.CreateEntry(run.Test + BaselineStore.ReceivedSuffix).Open()))
                    writer.Write(BaselineSeal.ToJson(run));
                return (zip, () => Approved(zip, inside));
            }
            default:
            {
                var folder = IntegrityFiles.Checkpoint(Path.Combine(inside, "checkpoints"));
                var file = target == TamperTarget.Manifest ? CheckpointFolder.ManifestFile : CheckpointFolder.TensorsFile;
                return (Path.Combine(folder, file), () =>
                {
                    var loaded = CheckpointReader.Read(folder);
                    return ReproJson.Serialize(loaded.Manifest) + string.Join(",", loaded.Tensors.Values.Select(t => Convert.ToHexString(t.Data)));
                });
            }
        }
    }

    // What 'approve --from' would accept into a fresh snapshots folder: the verified files it wrote.
    static string Approved(string from, string inside)
    {
        var runs = ReceivedArtifacts.Load(from);
        if (runs.Count == 0) return "";
        var store = new BaselineStore(Path.Combine(inside, "approved-" + Guid.NewGuid().ToString("N")));
        store.Approve(runs, "tamper");
        return string.Join("\n", store.AllVerified().Select(v => ReproJson.Serialize(store.ReadVerified(v.Key, v.Test)!.Fingerprint)));
    }
}
