using Xunit;

namespace Repro.Tests.Baselines;

// Baselines approved before lanesum128 carry xxh128 hashes and no hashKind: a run compares with them
// through its legacy record, new approvals keep one definition.
public sealed class HashKindTests
{
    // A run as the harness records it: lanesum128 hashes, and the same run's xxh128 hashes beside them.
    static TrainingFingerprint Run(string legacyTensorHash = "aa", string lanesTensorHash = "L1", bool legacy = true) => BaselineFiles.Fingerprint() with
    {
        InitialModelHash = "init-lanes",
        Tensors = [.. BaselineFiles.Fingerprint().Tensors.Select((t, i) => t with { Hash = i == 0 ? lanesTensorHash : "L2" })],
        ModelHash = "model-lanes-" + lanesTensorHash,
        OptimizerStateHash = "opt-lanes",
        HashKind = TensorHashKinds.LaneSum128,
        LegacyHashes = legacy ? new FingerprintHashes(TensorHashKinds.XxHash128, "init", [legacyTensorHash, "bb"], "model-" + legacyTensorHash, "opt") : null,
    };

    [Fact]
    public void An_xxh128_baseline_verifies_through_the_runs_legacy_hashes()
    {
        var baseline = BaselineFiles.File(BaselineFiles.Fingerprint());
        Assert.Null(baseline.Fingerprint.HashKind);
        var result = FingerprintComparer.Compare(baseline, Run());
        Assert.True(result.Passed, result.StructuralDifference);
        Assert.False(result.InitialWeightsChanged);
    }

    [Fact]
    public void A_tensor_that_moved_under_xxh128_is_named_although_the_run_hashes_with_lanesum128()
    {
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), Run(legacyTensorHash: "zz"));
        Assert.False(result.Passed);
        Assert.Equal(["conv1.conv.weight"], result.MovedTensors);
    }

    [Fact]
    public void A_lanesum128_baseline_compares_the_primary_hashes_and_ignores_the_legacy_record()
    {
        var baseline = BaselineFiles.File(Run() with { LegacyHashes = null });
        Assert.True(FingerprintComparer.Compare(baseline, Run(legacyTensorHash: "zz")).Passed);
        var moved = FingerprintComparer.Compare(baseline, Run(lanesTensorHash: "L9"));
        Assert.False(moved.Passed);
        Assert.Equal(["conv1.conv.weight"], moved.MovedTensors);
    }

    [Fact]
    public void A_run_without_hashes_of_the_baselines_kind_fails_and_says_which_kinds()
    {
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), Run(legacy: false));
        Assert.False(result.Passed);
        Assert.Contains("xxh128", result.StructuralDifference);
        Assert.Contains("lanesum128", result.StructuralDifference);
        Assert.Contains("RecordLegacyHashes", result.StructuralDifference);
    }

    [Fact]
    public void Under_tolerances_a_missing_kind_is_informational_like_every_hash()
    {
        var options = ComparisonOptions.Exact with { Default = Tolerance.Rel(1e-6) };
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), Run(legacy: false), options);
        Assert.True(result.Passed);
        Assert.False(result.HashesEnforced);
    }

    [Fact]
    public void Approval_keeps_one_definition_and_the_file_round_trips_its_kind()
    {
        using var snapshots = new TempSnapshots();
        var received = BaselineFiles.File(Run());
        snapshots.Write(received, BaselineStore.ReceivedSuffix);
        snapshots.Store.Approve(received.Key, received.Test, allKeys: false, route: "test");
        var verified = snapshots.Store.ReadVerified(received.Key, received.Test)!;
        Assert.Equal(TensorHashKinds.LaneSum128, verified.Fingerprint.HashKind);
        Assert.Null(verified.Fingerprint.LegacyHashes);
        var text = File.ReadAllText(snapshots.Store.VerifiedPath(received.Key, received.Test));
        Assert.Contains("\"hashKind\": \"lanesum128\"", text);
        Assert.DoesNotContain("legacyHashes", text);
        Assert.True(FingerprintComparer.Compare(verified, Run()).Passed);
    }

    [Fact]
    public void A_received_file_keeps_its_legacy_hashes_so_repro_diff_can_compare_with_an_xxh128_baseline()
    {
        var text = ReproJson.Serialize(BaselineFiles.File(Run()));
        Assert.Contains("legacyHashes", text);
        var read = ReproJson.Deserialize<BaselineFile>(text);
        Assert.True(FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), read.Fingerprint).Passed);
        Assert.DoesNotContain("hashKind", ReproJson.Serialize(BaselineFiles.File(BaselineFiles.Fingerprint())));
    }
}
