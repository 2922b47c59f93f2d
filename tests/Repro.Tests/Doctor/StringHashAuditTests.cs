using Xunit;

namespace Repro.Tests.Doctor;

// The audit's info on .NET's randomised string hashing names the collections whose order it changes,
// not a plain HashSet<string>, which a user would otherwise be told to rewrite for nothing (issue 23).
public sealed class StringHashAuditTests
{
    [Fact(DisplayName = "Audit: the string-hash note names hash-ordered collections; a plain HashSet<string> enumerates in insertion order")]
    public void The_string_hash_note_names_only_hash_ordered_collections()
    {
        var words = Enumerable.Range(0, 2000).Select(i => $"feature-{(i * 7919) % 2003}-{i}").ToList();
        Assert.Equal(words, new HashSet<string>(words).ToList());
        Assert.Equal(words, words.ToDictionary(w => w, w => w.Length).Keys.ToList());

        var note = Assert.Single(EnvironmentAudit.Findings(Repro.Advanced.Determinism.Read(), new DeterminismOptions(), _ => null), f => f.Code == DoctorCodes.StringHashRandomised);
        Assert.Contains("ImmutableHashSet", note.Where);
        Assert.Contains("after removals", note.Where);
        Assert.DoesNotContain("any HashSet", note.Where);
    }
}
