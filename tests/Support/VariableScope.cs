namespace Repro.Tests.Support;

// Sets one environment variable for a test and restores what it was.
internal sealed class VariableScope : IDisposable
{
    readonly string _name;
    readonly string? _saved;

    internal VariableScope(string name, string? value)
    {
        _name = name;
        _saved = System.Environment.GetEnvironmentVariable(name);
        System.Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => System.Environment.SetEnvironmentVariable(_name, _saved);
}
