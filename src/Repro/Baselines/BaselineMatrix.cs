namespace Repro;

/// <summary>What a key holds for a test in <see cref="BaselineMatrix"/>.</summary>
internal enum BaselineState
{
    /// <summary>No baseline of this test for this key.</summary>
    None,
    /// <summary>The key's own <c>.verified.json</c>.</summary>
    Own,
    /// <summary>The key shares another key's baseline through a <c>.alias.json</c>.</summary>
    Alias,
    /// <summary>The baseline cannot be read (damaged, ambiguous or a broken alias); <see cref="BaselineMatrix.Cell.Error"/> says why.</summary>
    Error,
}

/// <summary>
/// The tests x environment keys of a snapshots folder: which keys have a baseline of each test, when and at
/// which commit it was approved (and from which CI run), whether it is stale against the settings this
/// checkout's check has now, and which keys hold bit-identical numbers (groups, shared through aliases or
/// still separate copies). <c>repro status</c> prints it as text, JSON or Markdown.
/// </summary>
internal sealed record BaselineMatrix(string Root, IReadOnlyList<string> Keys, IReadOnlyList<BaselineMatrix.Row> Tests)
{
    /// <summary>One test across all keys; <see cref="Groups"/> lists the sets of two or more keys with identical numbers.</summary>
    public sealed record Row(string Test, IReadOnlyList<Cell> Cells, IReadOnlyList<Group> Groups);

    /// <summary>
    /// One key's baseline of one test. <see cref="Stale"/> is true when the check's current settings hash
    /// (<see cref="CurrentConfigHash"/>) differs from the one the baseline was trained with, null when the
    /// current settings are unknown. <see cref="Pending"/>: a received run waits for review.
    /// </summary>
    public sealed record Cell(string Key, BaselineState State, string? AliasOf, ApprovalRecord? Approval, RunOrigin? Origin,
        string? ConfigHash, string? CurrentConfigHash, bool? Stale, string? ModelHash, string? Group, bool Pending, string? Error);

    /// <summary>Keys whose baselines of a test are bit-identical: <see cref="Holders"/> keep their own file, <see cref="Aliases"/> share one.</summary>
    public sealed record Group(string Id, string ModelHash, IReadOnlyList<string> Holders, IReadOnlyList<string> Aliases)
    {
        /// <summary>All keys of the group.</summary>
        public IEnumerable<string> Keys => Holders.Concat(Aliases).Order(StringComparer.Ordinal);
    }

    /// <summary>
    /// Reads every baseline, alias and received file under the store. <paramref name="currentConfigHash"/> gives
    /// the settings hash a baseline's check has in this checkout (null when it does not know the check).
    /// </summary>
    public static BaselineMatrix Of(BaselineStore store, Func<BaselineFile, string?>? currentConfigHash = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var verified = store.AllVerified();
        var received = store.Received().ToHashSet();
        var keys = verified.Select(v => v.Key).Concat(received.Select(r => r.Key)).Distinct().Order(StringComparer.Ordinal).ToList();
        var tests = verified.Select(v => v.Test).Concat(received.Select(r => r.Test)).Distinct().Order(StringComparer.Ordinal);
        return new BaselineMatrix(store.Root, keys, [.. tests.Select(test => RowOf(store, test, keys, received, currentConfigHash))]);
    }

    static Row RowOf(BaselineStore store, string test, IReadOnlyList<string> keys, HashSet<(string Key, string Test)> received, Func<BaselineFile, string?>? currentConfigHash)
    {
        var cells = new List<Cell>();
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var pending = received.Contains((key, test));
            try
            {
                if (store.ReadVerified(key, test) is not { } file)
                {
                    cells.Add(new Cell(key, BaselineState.None, null, null, null, null, null, null, null, null, pending, null));
                    continue;
                }
                var aliasOf = store.AliasOf(key, test);
                var current = currentConfigHash?.Invoke(file);
                if (file.Envelope is null) digests[key] = FingerprintDigest.Of(file.Fingerprint);
                cells.Add(new Cell(key, aliasOf is null ? BaselineState.Own : BaselineState.Alias, aliasOf, file.Approval, file.Origin,
                    file.Fingerprint.ConfigHash, current, current is null ? null : current != file.Fingerprint.ConfigHash, file.Fingerprint.ModelHash, null, pending, null));
            }
            catch (ReproException ex)
            {
                cells.Add(new Cell(key, BaselineState.Error, null, null, null, null, null, null, null, null, pending, ex.Message));
            }
        }
        var groups = new List<Group>();
        foreach (var same in digests.GroupBy(d => d.Value).Where(g => g.Count() > 1).OrderBy(g => g.Min(d => d.Key), StringComparer.Ordinal))
        {
            var members = same.Select(d => cells.First(c => c.Key == d.Key)).ToList();
            var id = ((char)('A' + groups.Count % 26)).ToString() + (groups.Count >= 26 ? (groups.Count / 26).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
            groups.Add(new Group(id, members[0].ModelHash!,
                [.. members.Where(m => m.State == BaselineState.Own).Select(m => m.Key)],
                [.. members.Where(m => m.State == BaselineState.Alias).Select(m => m.Key)]));
            foreach (var member in members) cells[cells.IndexOf(member)] = member with { Group = id };
        }
        return new Row(test, cells, groups);
    }
}
