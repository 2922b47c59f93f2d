namespace Repro;

internal static partial class BaselineCheck
{
    // The verdict is the check's, whatever the disk says: a read-only or full snapshots folder turns the
    // received file (or the removal of a stale one) into a warning beside the result, never into exit 4.
    static string? TryWriteReceived(BaselineStore store, BaselineFile current, string? diff)
    {
        try
        {
            store.WriteReceived(current, diff);
            return null;
        }
        catch (ReproException ex)
        {
            return $"warning: the received file could not be written ({ex.Message}); the result above stands, but there is nothing to approve until the snapshots folder is writable.\n";
        }
    }

    static string? TryDeleteReceived(BaselineStore store, string key, string test)
    {
        try
        {
            store.DeleteReceived(key, test);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ReproException)
        {
            return $" (warning: a stale received file could not be removed: {ex.Message})";
        }
    }
}
