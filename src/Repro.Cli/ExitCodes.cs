namespace Repro.Cli;

/// <summary>The documented exit codes of every command.</summary>
internal static class ExitCodes
{
    internal const int Pass = 0;
    internal const int Mismatch = 1;
    internal const int NoBaseline = 2;
    internal const int NonDeterministic = 3;
    internal const int UsageOrEnvironment = 4;
}
