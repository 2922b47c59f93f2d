using System.Globalization;
using TorchSharp;

namespace Repro;

// Process-wide settings a training can change and leave changed for the next training in the process
// (the harness does not own them): torch's default dtype and grad mode, and the thread's cultures.
internal sealed record ProcessDefaults(torch.ScalarType DefaultDtype, bool GradEnabled, CultureInfo Culture, CultureInfo UiCulture)
{
    internal static ProcessDefaults Read() =>
        new(torch.get_default_dtype(), torch.is_grad_enabled(), CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);

    /// <summary>"what: before -> after" for each setting that differs.</summary>
    internal IReadOnlyList<string> ChangesTo(ProcessDefaults after)
    {
        var changes = new List<string>();
        if (DefaultDtype != after.DefaultDtype) changes.Add($"torch's default dtype {DefaultDtype} -> {after.DefaultDtype} (torch.set_default_dtype)");
        if (GradEnabled != after.GradEnabled) changes.Add($"grad mode {(GradEnabled ? "on" : "off")} -> {(after.GradEnabled ? "on" : "off")} (torch.set_grad_enabled)");
        if (!Culture.Equals(after.Culture)) changes.Add($"CultureInfo.CurrentCulture '{Culture.Name}' -> '{after.Culture.Name}'");
        if (!UiCulture.Equals(after.UiCulture)) changes.Add($"CultureInfo.CurrentUICulture '{UiCulture.Name}' -> '{after.UiCulture.Name}'");
        return changes;
    }

    /// <summary>Puts these settings back, so the doctor leaves the process as it found it.</summary>
    internal void Restore()
    {
        torch.set_default_dtype(DefaultDtype);
        torch.set_grad_enabled(GradEnabled);
        CultureInfo.CurrentCulture = Culture;
        CultureInfo.CurrentUICulture = UiCulture;
    }
}
