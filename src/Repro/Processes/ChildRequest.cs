using System.Text.Json;

namespace Repro;

// What a test executable started in child mode trains: the check type (built by its public
// parameterless constructor), the settings hash the parent expects it to have, the checkpoint to
// resume from, and where to write the run. Handed over as a JSON file named by an environment
// variable, so the child's command line stays the test executable's own.
internal sealed record ChildRequest(string Check, string SettingsHash, string Out, string? ResumeFrom = null)
{
    internal const string Variable = "REPRO_CHILD_REQUEST";

    internal void Write(string path) => AtomicFile.WriteAllText(path, ReproJson.Serialize(this));

    internal static ChildRequest Read(string path)
    {
        try
        {
            return ReproJson.Deserialize<ChildRequest>(File.ReadAllText(path))
                ?? throw new ReproException($"{Variable}={path} holds no child request.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ReproException($"{Variable}={path} cannot be read as a child request ({ex.Message}). The variable is set by Repro for the processes it starts; unset it.", ex);
        }
    }
}
