namespace Repro.Xunit;

// Optional: open the received and verified files in the user's diff tool. Only on request
// (REPRO_DIFFTOOL=1), never on CI, and never in a way that can fail the test.
internal static class DiffTool
{
    internal static void TryLaunch(BaselineOutcome outcome)
    {
        if (!(ReproSettings.DiffTool ?? Requested())) return;
        if (CiDetector.Detect() is not null || outcome.ReceivedPath is null || !File.Exists(outcome.VerifiedPath)) return;
        try
        {
            _ = DiffEngine.DiffRunner.LaunchAsync(outcome.ReceivedPath, outcome.VerifiedPath);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"repro: could not open a diff tool ({ex.Message}).");
        }
    }

    // REPRO_DIFFTOOL, when code has not set ReproSettings.DiffTool.
    static bool Requested()
    {
        var requested = System.Environment.GetEnvironmentVariable(ReproSettings.DiffToolVariable)?.Trim();
        if (requested is not null && requested is not ("1" or "0" or "") && !bool.TryParse(requested, out _))
        {
            // Never fails the test, but never ignored silently either.
            Console.Error.WriteLine($"repro: REPRO_DIFFTOOL='{requested}' is not 1/true or 0/false; no diff tool opened. Set REPRO_DIFFTOOL=1 to open one.");
            return false;
        }
        return requested is "1" || string.Equals(requested, "true", StringComparison.OrdinalIgnoreCase);
    }
}
