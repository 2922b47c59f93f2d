namespace Repro;

// Every key's baseline of one test, as stored: its own verified file, or an alias of another key's.
// Approval and sharing change this picture in memory first and write it at the end, so that a batch
// (several keys from one CI run) is judged as a whole: two keys whose new numbers agree end up as one
// group, and a key that moves away from its group leaves the others their numbers.
internal sealed class TestBaselines
{
    internal abstract record Entry(string Digest);

    internal sealed record Own(BaselineFile File, string Digest) : Entry(Digest);

    internal sealed record Shared(BaselineAlias Alias) : Entry(Alias.FingerprintDigest);

    readonly BaselineStore _store;
    readonly Dictionary<string, Entry> _loaded;
    readonly Dictionary<string, Entry> _entries;
    readonly List<string> _notes = [];

    TestBaselines(BaselineStore store, string test, Dictionary<string, Entry> entries)
    {
        (_store, Test, _loaded, _entries) = (store, test, entries, new Dictionary<string, Entry>(entries, StringComparer.Ordinal));
    }

    internal string Test { get; }

    internal IReadOnlyDictionary<string, Entry> Entries => _entries;

    /// <summary>What changed in groups of keys (a key left its group, another key took over its numbers).</summary>
    internal IReadOnlyList<string> Notes => _notes;

    internal static TestBaselines Load(BaselineStore store, string test)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var key in store.KeysWith(test))
        {
            // A damaged or ambiguous file is left alone here (its own check reports it), unless it is
            // the very key being approved, which then gets a fresh file.
            try
            {
                var aliasPath = store.AliasPath(key, test);
                if (File.Exists(aliasPath))
                {
                    if (!File.Exists(store.VerifiedPath(key, test))) entries[key] = new Shared(BaselineStore.ReadAlias(aliasPath));
                }
                else if (store.ReadVerified(key, test) is { } file)
                    entries[key] = new Own(file, FingerprintDigest.Of(file.Fingerprint));
            }
            catch (ReproException) { }
        }
        return new TestBaselines(store, test, entries);
    }

    /// <summary>Accepts new baselines (one per key, already validated); keys whose numbers equal another key's share it.</summary>
    internal void Accept(IReadOnlyList<BaselineFile> files)
    {
        var batch = files.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var before = _entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        foreach (var file in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var digest = FingerprintDigest.Of(file.Fingerprint);
            if (_entries.GetValueOrDefault(file.Key) is Own own && own.Digest != digest) HandOver(file.Key, own, batch);
            _entries[file.Key] = new Own(file, digest);
        }
        Share(batch);
        foreach (var key in batch.Order(StringComparer.Ordinal))
            if (before.GetValueOrDefault(key) is Shared was && (_entries[key] as Shared)?.Alias.AliasOf != was.Alias.AliasOf)
                _notes.Add($"{Test}: {key} no longer shares the baseline of {was.Alias.AliasOf}: its new numbers differ.");
    }

    /// <summary>
    /// Turns each of <paramref name="keys"/> that holds its own baseline into an alias of another key whose
    /// numbers are bit-identical. Other keys are preferred as targets, then the first in ordinal order, so
    /// of two new identical keys the first holds the numbers.
    /// </summary>
    internal void Share(IReadOnlySet<string> keys)
    {
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            if (_entries.GetValueOrDefault(key) is not Own { File.Envelope: null } own) continue;
            var target = _entries
                .Where(e => e.Key != key && e.Value is Own { File.Envelope: null } other && other.Digest == own.Digest)
                .Where(e => !keys.Contains(e.Key) || string.CompareOrdinal(e.Key, key) < 0)
                .OrderBy(e => keys.Contains(e.Key) ? 1 : 0).ThenBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => e.Key).FirstOrDefault();
            if (target is null) continue;
            _entries[key] = new Shared(new BaselineAlias
            {
                Test = Test, Key = key, AliasOf = target, FingerprintDigest = own.Digest, ModelHash = own.File.Fingerprint.ModelHash,
                Approval = own.File.Approval, Origin = own.File.Origin, Environment = own.File.Environment,
            });
            foreach (var (follower, alias) in Aliases(of: key).ToList())
                _entries[follower] = new Shared(alias with { AliasOf = target });
        }
    }

    /// <summary>The key whose file holds this key's numbers after the changes so far (the key itself when it has its own).</summary>
    internal string? Holder(string key) => _entries.GetValueOrDefault(key) switch
    {
        Own => key,
        Shared s => s.Alias.AliasOf,
        _ => null,
    };

    /// <summary>Writes what changed: own files first, so that every alias written names an existing file.</summary>
    internal IReadOnlyList<string> Save()
    {
        var changed = _entries.Where(e => !ReferenceEquals(_loaded.GetValueOrDefault(e.Key), e.Value)).ToList();
        var written = new List<string>();
        foreach (var (key, entry) in changed.Where(e => e.Value is Own).Concat(changed.Where(e => e.Value is Shared)))
        {
            var (path, other) = (_store.VerifiedPath(key, Test), _store.AliasPath(key, Test));
            if (entry is Own own) AtomicFile.WriteAllText(path, BaselineSeal.ToJson(own.File));
            else
            {
                (path, other) = (other, path);
                AtomicFile.WriteAllText(path, BaselineAliasSeal.ToJson(((Shared)entry).Alias));
            }
            if (File.Exists(other)) File.Delete(other);
            written.Add(path);
        }
        return written;
    }

    // A key that holds its group's numbers gets new ones: the first key that shared them keeps them as its
    // own file (with its own environment and approval), and the rest of the group now share that key's.
    // Keys approved in the same batch are not left behind: they get their own new numbers anyway.
    void HandOver(string key, Own old, IReadOnlySet<string> batch)
    {
        // An alias pinned to other numbers was broken outside approval; it stays as it is and keeps failing loudly.
        var followers = Aliases(of: key).Where(a => !batch.Contains(a.Key) && a.Alias.FingerprintDigest == old.Digest)
            .OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        if (followers.Count == 0) return;
        var (heir, heirAlias) = followers[0];
        _entries[heir] = new Own(old.File with { Key = heir, Environment = heirAlias.Environment, Approval = heirAlias.Approval, Origin = heirAlias.Origin }, old.Digest);
        foreach (var (follower, alias) in followers.Skip(1))
            _entries[follower] = new Shared(alias with { AliasOf = heir });
        var rest = followers.Skip(1).Select(f => f.Key).ToList();
        _notes.Add($"{Test}: {key} has new numbers and leaves the group it shared with {string.Join(", ", followers.Select(f => f.Key))}; " +
            $"{heir} keeps the group's previous baseline as its own file" + (rest.Count == 0 ? "." : $", and {string.Join(", ", rest)} now share it."));
    }

    IEnumerable<(string Key, BaselineAlias Alias)> Aliases(string of) =>
        _entries.Where(e => e.Value is Shared s && s.Alias.AliasOf == of).Select(e => (e.Key, ((Shared)e.Value).Alias));
}
