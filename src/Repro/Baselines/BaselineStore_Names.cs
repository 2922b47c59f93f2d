namespace Repro;

internal sealed partial class BaselineStore
{
    /// <summary>
    /// The one naming rule for a check's baseline outside its test: a test names its baseline after
    /// itself (<c>TestClass.TestMethod</c>) and records the check in it, so the baseline of check
    /// <paramref name="check"/> is the one test's whose files (verified, else received) record that
    /// check's name; among several, the one recorded with the check's current settings; with none,
    /// the check's own name.
    /// </summary>
    /// <exception cref="ReproException">Several tests hold baselines of this check and the settings do not tell which.</exception>
    internal string TestOf(TrainingCheck check)
    {
        var name = check.Name;
        var hash = TrainingHarness.DescribeSettings(check).Hash;
        foreach (var candidates in new[] { HoldersOf(name, AllVerified(), ReadVerified), HoldersOf(name, Received(), ReadReceived) })
        {
            var tests = candidates.Select(c => c.Test).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (tests.Count == 1) return tests[0];
            var current = candidates.Where(c => c.ConfigHash == hash).Select(c => c.Test).Distinct(StringComparer.Ordinal).ToList();
            if (current.Count == 1) return current[0];
            if (tests.Count > 1)
                throw new ReproException($"Baselines of {name} are held by {tests.Count} tests under {Root}: {string.Join(", ", tests)}. Pass the one to use with --test.");
        }
        return name;
    }

    static List<(string Test, string ConfigHash)> HoldersOf(string checkName, IEnumerable<(string Key, string Test)> files, Func<string, string, BaselineFile?> read)
    {
        var holders = new List<(string, string)>();
        foreach (var (key, test) in files)
        {
            BaselineFile? file;
            // A damaged file of another test is reported by that test's own check, not here.
            try { file = read(key, test); }
            catch (ReproException) { continue; }
            if (file is { ResumedFrom: null } && file.Fingerprint.Name == checkName) holders.Add((test, file.Fingerprint.ConfigHash));
        }
        return holders;
    }
}
