using Xunit;

namespace Repro.Tests.Doctor;

// The audit's info on .NET's randomised string hashing names the collections whose order it changes,
// not a plain HashSet<string>, which a user would otherwise be told to rewrite for nothing (issue 23).
public sealed class StringHashAuditTests
{
    [Fact(DisplayName = "Audit: the string-hash note names hash-ordered collections; a plain HashSet<string> enumerates in insertion order, " +
        "and after removals in an order its hash codes do not change")]
    public void The_string_hash_note_names_only_hash_ordered_collections()
    {
        var words = Enumerable.Range(0, 2000).Select(i => $"feature-{(i * 7919) % 2003}-{i}").ToList();
        Assert.Equal(words, new HashSet<string>(words).ToList());
        Assert.Equal(words, words.ToDictionary(w => w, w => w.Length).Keys.ToList());
        // Two salts stand for two processes' string hashes: the same adds and removes enumerate alike.
        Assert.Equal(AddRemoveAdd(words, new SaltedComparer(1)), AddRemoveAdd(words, new SaltedComparer(2)));
        // ...though not in insertion order: added words take the removed ones' slots.
        Assert.NotEqual(words.Take(1500).Where((_, i) => i % 3 != 0).Concat(words.Skip(1800)), AddRemoveAdd(words, new SaltedComparer(1)));

        var note = Assert.Single(EnvironmentAudit.Findings(Repro.Advanced.Determinism.Read(), new DeterminismOptions(), _ => null), f => f.Code == DoctorCodes.StringHashRandomised);
        Assert.Contains("ImmutableHashSet", note.Where);
        Assert.Contains("the same in every process", note.Where);
        Assert.DoesNotContain("any HashSet", note.Where);
        Assert.DoesNotContain("after removals", note.Where);
    }

    static List<string> AddRemoveAdd(List<string> words, IEqualityComparer<string> comparer)
    {
        var set = new HashSet<string>(words.Take(1500), comparer);
        foreach (var word in words.Take(1500).Where((_, i) => i % 3 == 0)) set.Remove(word);
        foreach (var word in words.Skip(1800)) set.Add(word);
        return [.. set];
    }

    sealed class SaltedComparer(int salt) : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string value) => HashCode.Combine(salt, string.GetHashCode(value, StringComparison.Ordinal));
    }
}
