
namespace Repro.Tests.Support.Cli;

// Sets process environment variables for one test and restores them, so that a developer's
// REPRO_ACCEPT or a CI runner's CI=true cannot change which path the CLI takes.
internal sealed class EnvironmentScope : IDisposable
{
    readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    EnvironmentScope(IEnumerable<KeyValuePair<string, string?>> values)
    {
        foreach (var (name, value) in values)
        {
            _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>A workstation: no CI markers, no implicit accept, no snapshots override.</summary>
    internal static EnvironmentScope Workstation(params (string Name, string? Value)[] extra) =>
        new(CiDetector.Variables.Select(v => KeyValuePair.Create(v, (string?)null))
            .Append(KeyValuePair.Create(AcceptSwitch.Variable, (string?)null))
            .Append(KeyValuePair.Create("REPRO_SNAPSHOTS", (string?)null))
            .Concat(extra.Select(e => KeyValuePair.Create(e.Name, e.Value))));

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
    }
}
