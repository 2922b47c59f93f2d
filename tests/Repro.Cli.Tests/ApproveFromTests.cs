using System.IO.Compression;
using System.Text.Json;
using Repro.Xunit;
using Xunit;
using static Repro.Tests.Support.DualTask.Fleet;

namespace Repro.Cli.Tests;

// 'repro approve --from' and 'repro diff --from' on a fake CI artifact folder: received files of two GPU
// keys, laid out as 'gh run download' writes them (one folder per artifact; one keeps the snapshots
// layout, one was flattened by the upload).
[Collection(ReproCollection.Name)]
public sealed class ApproveFromTests
{
    sealed class Artifacts : IDisposable
    {
        internal Artifacts()
        {
            Root = Directory.CreateTempSubdirectory("repro-ci-").FullName;
            Download = Path.Combine(Root, "ci-artifacts");
            Snapshots = Path.Combine(Root, "snapshots");
            Store = new BaselineStore(Snapshots);
        }

        internal string Root { get; }
        internal string Download { get; }
        internal string Snapshots { get; }
        internal BaselineStore Store { get; }

        internal string Put(string relative, BaselineFile run)
        {
            var path = Path.Combine(Download, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, ReproJson.Serialize(run));
            return path;
        }

        /// <summary>An H100 and an H200 run of the same numbers, each from its own CI job.</summary>
        internal void TwoKeys(BaselineFile? h200 = null)
        {
            Put($"repro-gpu-nvidia-h100-80gb-hbm3/snapshots/{H100.Key}/{Test}.received.json", Run(H100).OnCi("4242"));
            Put($"repro-gpu-nvidia-h100-80gb-hbm3/snapshots/{H100.Key}/{Test}.received.report.html", Run(H100));
            Put($"repro-gpu-nvidia-h200/{Test}.received.json", h200 ?? Run(H200).OnCi("4242"));
        }

        /// <summary>A verified baseline written straight into the snapshots, as a committed one is.</summary>
        internal void Verified(BaselineFile file)
        {
            var path = Store.VerifiedPath(file.Key, file.Test);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, ReproJson.Serialize(file));
        }

        internal CliResult Approve(string from) => CliRun.Invoke("approve", "--from", from, "--snapshots", Snapshots);

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { }
        }
    }

    [Fact]
    public void Approving_from_an_artifact_folder_accepts_every_key_records_the_ci_run_and_shares_identical_numbers()
    {
        using var env = EnvironmentScope.Workstation();
        using var ci = new Artifacts();
        ci.TwoKeys();

        var result = ci.Approve(ci.Download);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Accepted 2 run(s) of 2 key(s) from {ci.Download}", result.Out);
        Assert.Contains($"  {H100.Key}\n    {Test}: {H100.Key}/{Test}.verified.json\n", result.Out);
        Assert.Contains($"  {H200.Key}\n    {Test}: {H200.Key}/{Test}.alias.json (bit-identical to {H100.Key}: shares its baseline)", result.Out);
        Assert.Contains("run: github-actions run 4242 (job gpu, commit 0123456789ab, machine runner-h100)", result.Out);
        var h100 = ci.Store.ReadVerified(H100.Key, Test)!;
        Assert.Equal("repro approve --from", h100.Approval!.Route);
        Assert.Equal($"repro-gpu-nvidia-h100-80gb-hbm3/snapshots/{H100.Key}/{Test}.received.json", h100.Approval.From);
        Assert.Equal("4242", h100.Origin!.RunId);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", h100.Origin.Commit);
        var h200 = ci.Store.ReadVerified(H200.Key, Test)!;
        Assert.Equal("runner-h200", h200.Origin!.Machine);
        Assert.Equal($"repro-gpu-nvidia-h200/{Test}.received.json", h200.Approval!.From);
        Assert.Equal(H100.Key, ci.Store.AliasOf(H200.Key, Test));
        // The artifacts are the reviewer's download: approval leaves them as they were.
        Assert.Equal(2, Directory.EnumerateFiles(ci.Download, "*.received.json", SearchOption.AllDirectories).Count());

        var status = CliRun.Invoke("status", "--json", "--snapshots", ci.Snapshots);
        using var document = JsonDocument.Parse(status.Out);
        var group = document.RootElement.GetProperty("tests")[0].GetProperty("groups")[0];
        Assert.Equal(H100.Key, group.GetProperty("holders")[0].GetString());
        Assert.Equal(H200.Key, group.GetProperty("aliases")[0].GetString());
    }

    [Fact]
    public void Approving_from_a_zip_of_artifact_zips_reads_the_runs_inside_without_extracting()
    {
        using var env = EnvironmentScope.Workstation();
        using var ci = new Artifacts();
        ci.TwoKeys();
        var zips = Path.Combine(ci.Root, "zips");
        Directory.CreateDirectory(zips);
        foreach (var artifact in Directory.EnumerateDirectories(ci.Download))
            ZipFile.CreateFromDirectory(artifact, Path.Combine(zips, Path.GetFileName(artifact) + ".zip"));
        var all = Path.Combine(ci.Root, "all-artifacts.zip");
        ZipFile.CreateFromDirectory(zips, all);

        var result = ci.Approve(all);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"from all-artifacts.zip!repro-gpu-nvidia-h200.zip!{Test}.received.json", result.Out);
        Assert.True(File.Exists(ci.Store.VerifiedPath(H100.Key, Test)));
        Assert.True(File.Exists(ci.Store.AliasPath(H200.Key, Test)));
    }

    [Fact]
    public void Approving_from_artifacts_is_refused_on_CI()
    {
        using var env = EnvironmentScope.Workstation(("GITHUB_ACTIONS", "true"));
        using var ci = new Artifacts();
        ci.TwoKeys();

        var result = ci.Approve(ci.Download);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("refused: this looks like CI (GITHUB_ACTIONS=true)", result.Error);
        Assert.False(Directory.Exists(ci.Snapshots));
    }

    [Fact]
    public void A_partial_received_run_is_refused_and_no_key_of_the_batch_is_written()
    {
        using var env = EnvironmentScope.Workstation();
        using var ci = new Artifacts();
        var partial = BaselineFiles.File(BaselineFiles.Fingerprint(epochs: 2) with { ConfiguredEpochs = 3 }, Test, H200);
        ci.TwoKeys(h200: partial);

        var result = ci.Approve(ci.Download);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains($"Refusing repro-gpu-nvidia-h200/{Test}.received.json: it records 2 epochs but its check trains 3", result.Error);
        Assert.False(Directory.Exists(ci.Snapshots));
    }

    [Fact]
    public void A_received_run_whose_config_does_not_hash_to_its_config_hash_is_refused()
    {
        using var env = EnvironmentScope.Workstation();
        using var ci = new Artifacts();
        ci.TwoKeys(h200: Run(H200) with { Config = DualTaskRuns.Settings(DualTaskConfig.Small with { LearningRate = 0.5 }) });

        var result = ci.Approve(ci.Download);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("does not hash to the fingerprint's configHash", result.Error);
        Assert.False(Directory.Exists(ci.Snapshots));
    }

    [Fact]
    public void A_run_of_other_settings_than_this_checkouts_check_is_refused()
    {
        using var env = EnvironmentScope.Workstation();
        using var ci = new Artifacts();
        // A consistent run of dualtask-small with another learning rate: CI built another commit.
        var other = DualTaskConfig.Small with { LearningRate = 3e-3 };
        var run = BaselineFiles.File(BaselineFiles.Fingerprint() with { ConfigHash = DualTaskRuns.ConfigHash(other) }, Test, H200) with { Config = DualTaskRuns.Settings(other) };
        ci.TwoKeys(h200: run);

        var result = ci.Approve(ci.Download);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains($"but this checkout's {Test} has config {DualTaskRuns.ConfigHash(DualTaskConfig.Small)}", result.Error);
        Assert.False(Directory.Exists(ci.Snapshots));
    }

    [Fact]
    public void A_folder_without_received_runs_is_an_error_that_says_what_to_pass()
    {
        using var env = EnvironmentScope.Workstation();
        using var ci = new Artifacts();
        Directory.CreateDirectory(ci.Download);

        var empty = ci.Approve(ci.Download);
        var missing = ci.Approve(Path.Combine(ci.Root, "nowhere"));

        Assert.True(empty.ExitCode == 4, empty.ToString());
        Assert.Contains("no received runs", empty.Error);
        Assert.True(missing.ExitCode == 4, missing.ToString());
        Assert.Contains("gh run download", missing.Error);
    }

    [Fact]
    public void Diff_from_shows_each_run_its_ci_run_and_that_approving_would_share_an_existing_baseline()
    {
        using var env = EnvironmentScope.Workstation();
        using var ci = new Artifacts();
        ci.TwoKeys();
        ci.Verified(Run(H100));

        var result = CliRun.Invoke("diff", "--from", ci.Download, "--snapshots", ci.Snapshots);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{H100.Key}/{Test} (from repro-gpu-nvidia-h100-80gb-hbm3/snapshots/{H100.Key}/{Test}.received.json; run: github-actions run 4242", result.Out);
        Assert.Contains($"{H200.Key}/{Test} (from repro-gpu-nvidia-h200/{Test}.received.json; run: github-actions run 4242 (job gpu, commit 0123456789ab, machine runner-h200)): " +
            "no verified baseline yet.", result.Out);
        Assert.Contains($"Bit-identical to the baseline of {H100.Key}: approving records this key as sharing it.", result.Out);
        Assert.False(File.Exists(ci.Store.AliasPath(H200.Key, Test)));
    }
}
