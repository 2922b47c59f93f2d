using Xunit;
using static Repro.Tests.Support.DualTask.Fleet;

namespace Repro.Tests.Baselines;

// Keys whose numbers agree bit for bit share one baseline file through <test>.alias.json; a member that
// later moves splits the group, and the others keep their numbers.
public sealed class AliasTests
{
    [Fact]
    public void A_received_run_equal_to_another_keys_baseline_becomes_an_alias_that_verification_follows()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        snapshots.Write(Run(H100) with { Approval = Approval("h100 reviewer") });
        snapshots.Write(Run(H200), BaselineStore.ReceivedSuffix);

        var result = store.Approve(H200.Key, null, allKeys: false, "test");

        var accepted = Assert.Single(result.Accepted);
        Assert.Equal(H100.Key, accepted.AliasOf);
        Assert.Equal($"{H200.Key}/{Test}{BaselineStore.AliasSuffix}", accepted.Path);
        Assert.False(File.Exists(store.VerifiedPath(H200.Key, Test)));
        Assert.False(File.Exists(store.ReceivedPath(H200.Key, Test)));
        var read = store.ReadVerified(H200.Key, Test)!;
        Assert.Equal(H200.Key, read.Key);
        Assert.Equal("NVIDIA H200", read.Environment.GpuModel);
        Assert.Equal("test", read.Approval!.Route);
        Assert.Equal(Run(H100).Fingerprint.ModelHash, read.Fingerprint.ModelHash);
        Assert.Equal([H100.Key, H200.Key], store.KeysWith(Test));
        Assert.Equal(store.VerifiedPath(H100.Key, Test), store.BaselinePath(H200.Key, Test));

        var same = BaselineCheck.Verify(store, Test, AsRun(Run(H200)), accept: false);
        Assert.Equal(BaselineStatus.Passed, same.Status);
        Assert.Contains(store.VerifiedPath(H100.Key, Test), same.Message);
        var moved = BaselineCheck.Verify(store, Test, AsRun(Run(H200, loss: 2.0)), accept: false);
        Assert.Equal(BaselineStatus.Mismatch, moved.Status);
    }

    [Fact]
    public void A_member_with_new_numbers_leaves_its_group_and_the_others_keep_sharing()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        snapshots.Write(Run(H100));
        snapshots.Write(Run(H200), BaselineStore.ReceivedSuffix);
        snapshots.Write(Run(B200), BaselineStore.ReceivedSuffix);
        Assert.All(store.Approve(null, null, allKeys: true, "test").Accepted, a => Assert.Equal(H100.Key, a.AliasOf));

        snapshots.Write(Run(H200, loss: 2.0), BaselineStore.ReceivedSuffix);
        var result = store.Approve(H200.Key, null, allKeys: false, "test");

        Assert.Null(Assert.Single(result.Accepted).AliasOf);
        var note = Assert.Single(result.GroupChanges);
        Assert.Contains($"{H200.Key} no longer shares the baseline of {H100.Key}", note);
        Assert.True(File.Exists(store.VerifiedPath(H200.Key, Test)));
        Assert.False(File.Exists(store.AliasPath(H200.Key, Test)));
        Assert.Equal(Run(H200, loss: 2.0).Fingerprint.Epochs[0].Metrics["totalLoss"], store.ReadVerified(H200.Key, Test)!.Fingerprint.Epochs[0].Metrics["totalLoss"]);
        Assert.Equal(H100.Key, store.AliasOf(B200.Key, Test));
        Assert.Equal(Run(H100).Fingerprint.ModelHash, store.ReadVerified(B200.Key, Test)!.Fingerprint.ModelHash);
    }

    [Fact]
    public void The_key_holding_a_groups_numbers_hands_them_to_the_first_member_when_it_moves()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        snapshots.Write(Run(H100));
        snapshots.Write(Run(H200), BaselineStore.ReceivedSuffix);
        snapshots.Write(Run(B200), BaselineStore.ReceivedSuffix);
        store.Approve(null, null, allKeys: true, "test");
        var before = Run(H100).Fingerprint;

        snapshots.Write(Run(H100, loss: 3.0, tensorHash: "cc"), BaselineStore.ReceivedSuffix);
        var result = store.Approve(H100.Key, null, allKeys: false, "test");

        // nvidia-b200 sorts first, so it keeps the previous numbers as its own file; nvidia-h200 follows it.
        var note = Assert.Single(result.GroupChanges);
        Assert.Contains($"{H100.Key} has new numbers and leaves the group it shared with {B200.Key}, {H200.Key}", note);
        Assert.Contains($"{B200.Key} keeps the group's previous baseline", note);
        Assert.True(File.Exists(store.VerifiedPath(B200.Key, Test)));
        Assert.Equal(B200.Key, store.AliasOf(H200.Key, Test));
        var b200 = store.ReadVerified(B200.Key, Test)!;
        Assert.Equal("NVIDIA B200", b200.Environment.GpuModel);
        Assert.Equal(before.ModelHash, b200.Fingerprint.ModelHash);
        Assert.Equal(before.ModelHash, store.ReadVerified(H200.Key, Test)!.Fingerprint.ModelHash);
        Assert.Equal("model-cc", store.ReadVerified(H100.Key, Test)!.Fingerprint.ModelHash);
    }

    [Fact]
    public void Keys_approved_together_with_the_same_new_numbers_stay_one_group()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        snapshots.Write(Run(H100));
        snapshots.Write(Run(H200), BaselineStore.ReceivedSuffix);
        store.Approve(H200.Key, null, allKeys: false, "test");

        snapshots.Write(Run(H100, loss: 5.0), BaselineStore.ReceivedSuffix);
        snapshots.Write(Run(H200, loss: 5.0), BaselineStore.ReceivedSuffix);
        var result = store.Approve(null, null, allKeys: true, "test");

        Assert.Empty(result.GroupChanges);
        Assert.Equal([null, H100.Key], result.Accepted.Select(a => a.AliasOf));
        Assert.Equal(H100.Key, store.AliasOf(H200.Key, Test));
        Assert.Equal(Run(H100, loss: 5.0).Fingerprint.Epochs[0].Metrics["totalLoss"], store.ReadVerified(H200.Key, Test)!.Fingerprint.Epochs[0].Metrics["totalLoss"]);
    }

    [Fact]
    public void An_alias_whose_shared_baseline_changed_outside_approval_is_an_error_not_new_numbers()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        snapshots.Write(Run(H100));
        snapshots.Write(Run(H200), BaselineStore.ReceivedSuffix);
        store.Approve(H200.Key, null, allKeys: false, "test");

        snapshots.Write(Run(H100, loss: 7.0));

        var error = Assert.Throws<ReproException>(() => store.ReadVerified(H200.Key, Test));
        Assert.Contains("no longer holds the numbers the alias was recorded for", error.Message);
        Assert.Contains(store.AliasPath(H200.Key, Test), error.Message);
    }

    [Fact]
    public void A_key_with_both_its_own_file_and_an_alias_is_refused_as_ambiguous()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        snapshots.Write(Run(H100));
        snapshots.Write(Run(H200), BaselineStore.ReceivedSuffix);
        store.Approve(H200.Key, null, allKeys: false, "test");
        snapshots.Write(Run(H200));

        var error = Assert.Throws<ReproException>(() => store.ReadVerified(H200.Key, Test));
        Assert.Contains("ambiguous", error.Message);
    }

    [Fact]
    public void Sharing_identical_copies_makes_aliases_keeps_each_keys_approval_and_changes_no_number()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        snapshots.Write(Run(H100) with { Approval = Approval("first") });
        snapshots.Write(Run(H200) with { Approval = Approval("second") });
        snapshots.Write(Run(B200, loss: 2.0));
        var h200Before = store.ReadVerified(H200.Key, Test)!;

        var shared = Assert.Single(store.ShareIdentical(null, null));

        Assert.Equal((H200.Key, H100.Key), (shared.Key, shared.AliasOf));
        Assert.False(File.Exists(store.VerifiedPath(H200.Key, Test)));
        var h200 = store.ReadVerified(H200.Key, Test)!;
        Assert.Equal("second", h200.Approval!.By);
        Assert.Equal(ReproJson.Serialize(h200Before.Fingerprint), ReproJson.Serialize(h200.Fingerprint));
        Assert.Equal(h200Before.Environment, h200.Environment);
        Assert.True(File.Exists(store.VerifiedPath(B200.Key, Test)));
        Assert.Empty(store.ShareIdentical(null, null));
    }

    [Fact]
    public void The_digest_sees_a_single_bit_of_a_metric_but_not_metric_order_or_evaluation_records()
    {
        var fingerprint = BaselineFiles.Fingerprint();
        var first = fingerprint.Epochs[0];
        var reordered = fingerprint with { Epochs = [first with { Metrics = Metrics.From(first.Metrics.Reverse()) }, .. fingerprint.Epochs.Skip(1)] };
        var evaluated = fingerprint with { Evaluation = new Dictionary<string, System.Text.Json.JsonElement> { ["test"] = System.Text.Json.JsonDocument.Parse("{\"units\":3}").RootElement } };
        var nudged = fingerprint with { Epochs = [first.With("totalLoss", Math.BitIncrement(first.Metrics["totalLoss"])), .. fingerprint.Epochs.Skip(1)] };
        var rehashed = fingerprint with { Tensors = [fingerprint.Tensors[0] with { Hash = "ab" }, .. fingerprint.Tensors.Skip(1)] };

        var digest = FingerprintDigest.Of(fingerprint);
        Assert.Equal(digest, FingerprintDigest.Of(reordered));
        Assert.Equal(digest, FingerprintDigest.Of(evaluated));
        Assert.NotEqual(digest, FingerprintDigest.Of(nudged));
        Assert.NotEqual(digest, FingerprintDigest.Of(rehashed));
    }

    static TrainedRun AsRun(BaselineFile file) => new(file.Fingerprint.Name, file.Config, file.Environment, file.Fingerprint);
}
