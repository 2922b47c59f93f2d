namespace Repro;

/// <summary>
/// The "accept new numbers" switch of dotnet test: REPRO_ACCEPT=true, which -p:ReproAccept=true puts
/// into the test run's environment. Refused on CI, where nothing may be accepted implicitly.
/// </summary>
internal static class AcceptSwitch
{
    public const string Variable = ReproSettings.AcceptVariable;

    /// <summary>True when accepting was asked for; throws when asked for on CI.</summary>
    public static bool IsOn(Func<string, string?>? getVariable = null)
    {
        // A request made in code (ReproSettings.Accept) stands for the variable, and meets the same CI refusal.
        var inCode = getVariable is null ? ReproSettings.Accept : null;
        getVariable ??= System.Environment.GetEnvironmentVariable;
        var value = getVariable(Variable)?.Trim();
        if (inCode is null) ValidateValue(value);
        var requested = inCode ?? (value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1"));
        if (!requested) return false;
        if (CiDetector.Detect(getVariable) is { } ci)
            throw new ReproException($"{(inCode is null ? $"{Variable}={value}" : "ReproSettings.Accept = true")} was refused: this looks like CI ({ci}), where baselines are never accepted implicitly. " +
                "Accept on a workstation with 'repro approve' or 'dotnet test -p:ReproAccept=true' and commit the baseline.");
        return true;
    }

    /// <summary>Refuses a value other than unset, empty, true/false (any case), 1 or 0.</summary>
    internal static void ValidateValue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim() is "1" or "0" || bool.TryParse(value.Trim(), out _)) return;
        throw new ReproException($"{Variable}='{value}' is not a switch value: set it to true (or 1) to accept new baselines in this run, or to false (or 0, or unset it) to compare only.");
    }
}
