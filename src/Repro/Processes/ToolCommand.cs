namespace Repro;

// How the user runs the repro tool from where they are, so that every command Repro prints works as
// printed: 'dotnet repro' where a local tool manifest ('dotnet new tool-manifest', as the quick start
// does) lists Repro.Cli in this folder or one above it, else the global tool's 'repro'.
internal static class ToolCommand
{
    static readonly Lazy<string> Detected = new(() => Detect(Directory.GetCurrentDirectory()));

    internal static string Name => Detected.Value;

    internal static string Detect(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            foreach (var manifest in new[] { Path.Combine(dir.FullName, "dotnet-tools.json"), Path.Combine(dir.FullName, ".config", "dotnet-tools.json") })
            {
                string text;
                try { text = File.Exists(manifest) ? File.ReadAllText(manifest) : ""; }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
                if (text.Contains("\"repro.cli\"", StringComparison.OrdinalIgnoreCase)) return "dotnet repro";
            }
        return "repro";
    }
}
