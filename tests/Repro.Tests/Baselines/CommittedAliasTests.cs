using Xunit;

namespace Repro.Tests.Baselines;

// The repository's own aliases (snapshots/<key>/<test>.alias.json) must resolve: the shared file still
// holds the pinned numbers, and the alias keeps its own key and the environment that key was recorded on.
public sealed class CommittedAliasTests
{
    [Fact]
    public void Every_committed_alias_resolves_to_its_pinned_numbers_under_its_own_key_and_environment()
    {
        var store = new BaselineStore(Path.Combine(RepoPaths.Root, "snapshots"));
        var aliases = Directory.EnumerateFiles(store.Root, "*" + BaselineStore.AliasSuffix, SearchOption.AllDirectories).ToList();
        Assert.SkipWhen(aliases.Count == 0, "no alias is committed: every key holds its own baselines (the H100/H200 group went with the H100 key, docs/portable-cpu.md)");
        foreach (var path in aliases)
        {
            var key = Path.GetRelativePath(store.Root, Path.GetDirectoryName(path)!).Replace('\\', '/');
            var test = Path.GetFileName(path)[..^BaselineStore.AliasSuffix.Length];

            var baseline = store.ReadVerified(key, test)!;

            Assert.Equal(key, baseline.Key);
            Assert.Equal(key, baseline.Environment.Key);
            Assert.NotEqual(key, store.AliasOf(key, test));
            Assert.False(File.Exists(store.VerifiedPath(key, test)), $"{key} has both its own file and an alias of {test}");
        }
    }
}
