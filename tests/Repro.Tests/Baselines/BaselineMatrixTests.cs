using Repro.Reports;
using Xunit;
using static Repro.Tests.Support.DualTask.Fleet;

namespace Repro.Tests.Baselines;

public sealed class BaselineMatrixTests
{
    [Fact]
    public void The_matrix_shows_each_keys_state_the_groups_of_identical_keys_stale_and_pending_runs()
    {
        using var snapshots = new TempSnapshots();
        var store = snapshots.Store;
        snapshots.Write(Run(H100) with { Approval = Approval("reviewer") });
        snapshots.Write(Run(B200));
        snapshots.Write(Run(H200), BaselineStore.ReceivedSuffix);
        store.Approve(H200.Key, null, allKeys: false, "test");
        var cpu = BaselineFiles.Environment();
        snapshots.Write(Run(cpu, loss: 9.0));
        snapshots.Write(Run(cpu, loss: 8.0), BaselineStore.ReceivedSuffix);
        snapshots.Write(Run(H100, test: "other-test"));

        // This checkout's check has other settings than the H100 baseline was trained with.
        var matrix = BaselineMatrix.Of(store, file => file.Key == H100.Key ? "0000" : file.Fingerprint.ConfigHash);

        Assert.Equal(new[] { cpu.Key, B200.Key, H100.Key, H200.Key }.Order(StringComparer.Ordinal), matrix.Keys);
        var row = matrix.Tests.Single(r => r.Test == Test);
        var cells = row.Cells.ToDictionary(c => c.Key);
        Assert.Equal(BaselineState.Own, cells[H100.Key].State);
        Assert.Equal(BaselineState.Alias, cells[H200.Key].State);
        Assert.Equal(B200.Key, cells[H200.Key].AliasOf); // of two identical copies, the first key in order
        Assert.Equal("reviewer", cells[H100.Key].Approval!.By);
        Assert.True(cells[H100.Key].Stale);
        Assert.False(cells[B200.Key].Stale);
        Assert.True(cells[cpu.Key].Pending);
        Assert.Null(cells[cpu.Key].Group);
        var group = Assert.Single(row.Groups);
        Assert.Equal([B200.Key, H100.Key], group.Holders);
        Assert.Equal([H200.Key], group.Aliases);
        Assert.All(group.Keys, k => Assert.Equal(group.Id, cells[k].Group));
        var other = matrix.Tests.Single(r => r.Test == "other-test");
        Assert.Equal(BaselineState.None, other.Cells.Single(c => c.Key == H200.Key).State);
        Assert.Empty(other.Groups);

        var markdown = StatusSummary.Render(matrix);
        Assert.Contains($"| `{cpu.Key}` |", markdown);
        Assert.Contains($"= `{B200.Key}`", markdown);
        Assert.Contains("**stale**", markdown);
        Assert.Contains("received pending", markdown);
        Assert.Contains($"group {group.Id} (model `{Run(H100).Fingerprint.ModelHash}`): `{B200.Key}`, `{H100.Key}`, `{H200.Key}` (2 separate copies", markdown);
    }

    [Fact]
    public void A_damaged_baseline_is_an_error_cell_naming_the_file_not_a_failure_of_the_whole_matrix()
    {
        using var snapshots = new TempSnapshots();
        snapshots.Write(Run(H100));
        var damaged = snapshots.Store.VerifiedPath(H200.Key, Test);
        Directory.CreateDirectory(Path.GetDirectoryName(damaged)!);
        File.WriteAllText(damaged, "{ \"schemaVersion\": 2, ");

        var cell = BaselineMatrix.Of(snapshots.Store).Tests.Single().Cells.Single(c => c.Key == H200.Key);

        Assert.Equal(BaselineState.Error, cell.State);
        Assert.Contains(damaged, cell.Error);
    }
}
