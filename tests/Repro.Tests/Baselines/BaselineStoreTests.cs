using Xunit;

namespace Repro.Tests.Baselines;

public sealed class BaselineStoreTests
{
    [Fact]
    public void A_truncated_baseline_is_an_error_naming_the_file()
    {
        using var snapshots = new TempSnapshots();
        var file = BaselineFiles.File(BaselineFiles.Fingerprint());
        snapshots.Write(file);
        var path = snapshots.Store.VerifiedPath(file.Key, file.Test);
        var json = File.ReadAllText(path);
        File.WriteAllText(path, json[..(json.Length / 2)]);
        var error = Assert.Throws<ReproException>(() => snapshots.Store.ReadVerified(file.Key, file.Test));
        Assert.Contains(path, error.Message);
        Assert.Contains("git checkout", error.Message);
    }

    [Fact]
    public void An_unknown_schema_version_is_an_error_naming_the_file_and_versions()
    {
        using var snapshots = new TempSnapshots();
        var file = BaselineFiles.File(BaselineFiles.Fingerprint()) with { SchemaVersion = 99 };
        snapshots.Write(file);
        var path = snapshots.Store.VerifiedPath(file.Key, file.Test);
        var error = Assert.Throws<ReproException>(() => snapshots.Store.ReadVerified(file.Key, file.Test));
        Assert.Contains(path, error.Message);
        Assert.Contains("schema version 99", error.Message);
    }

    [Fact]
    public void A_corrupt_baseline_never_passes_or_gets_overwritten_by_a_check()
    {
        using var snapshots = new TempSnapshots();
        var file = BaselineFiles.File(BaselineFiles.Fingerprint());
        snapshots.Write(file);
        var path = snapshots.Store.VerifiedPath(file.Key, file.Test);
        File.WriteAllText(path, "{ \"schemaVersion\": 1, \"test\": ");
        Assert.Throws<ReproException>(() => BaselineCheck.Verify(snapshots.Store, file.Test, new TrainedRun(file.Test, file.Config, file.Environment, file.Fingerprint), accept: true));
        Assert.Equal("{ \"schemaVersion\": 1, \"test\": ", File.ReadAllText(path));
    }

    [Fact]
    public void Baselines_round_trip_exactly_with_a_stable_text_format()
    {
        using var snapshots = new TempSnapshots();
        var file = BaselineFiles.File(BaselineFiles.Fingerprint(loss: 0.1 + 0.2));
        snapshots.Write(file);
        var path = snapshots.Store.VerifiedPath(file.Key, file.Test);
        var read = BaselineStore.Read(path);
        Assert.Equal(file.Fingerprint.Epochs[0].Metrics["totalLoss"], read.Fingerprint.Epochs[0].Metrics["totalLoss"]);
        Assert.Equal(File.ReadAllText(path), ReproJson.Serialize(read));
        Assert.DoesNotContain("\r", File.ReadAllText(path));
    }

    [Fact]
    public void Keys_and_test_names_that_could_escape_the_snapshots_folder_are_refused()
    {
        using var snapshots = new TempSnapshots();
        Assert.Throws<ReproException>(() => snapshots.Store.VerifiedPath("../x/cuda-13.0", "t"));
        Assert.Throws<ReproException>(() => snapshots.Store.VerifiedPath(BaselineFiles.Key, "../t"));
    }

    [Fact]
    public void Approval_refuses_a_received_file_with_fewer_epochs_than_its_config()
    {
        using var snapshots = new TempSnapshots();
        var partial = BaselineFiles.File(BaselineFiles.Fingerprint(epochs: 2) with { ConfiguredEpochs = 3 });
        snapshots.Write(partial, BaselineStore.ReceivedSuffix);
        var error = Assert.Throws<ReproException>(() => snapshots.Store.Approve(partial.Key, null, false, "test"));
        Assert.Contains("2 epochs", error.Message);
        Assert.False(File.Exists(snapshots.Store.VerifiedPath(partial.Key, partial.Test)));
    }

    [Fact]
    public void Approval_refuses_a_received_file_whose_config_was_edited()
    {
        using var snapshots = new TempSnapshots();
        var edited = BaselineFiles.File(BaselineFiles.Fingerprint()) with { Config = DualTaskRuns.Settings(DualTaskConfig.Small with { LearningRate = 0.5 }) };
        snapshots.Write(edited, BaselineStore.ReceivedSuffix);
        var error = Assert.Throws<ReproException>(() => snapshots.Store.Approve(edited.Key, null, false, "test"));
        Assert.Contains("configHash", error.Message);
    }

    [Fact]
    public void Approval_without_a_key_must_be_explicit_about_all_keys()
    {
        using var snapshots = new TempSnapshots();
        Assert.Throws<ReproException>(() => snapshots.Store.Approve(null, null, false, "test"));
    }
}
