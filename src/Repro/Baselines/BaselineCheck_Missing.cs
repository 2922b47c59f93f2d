using System.Text;

namespace Repro;

internal static partial class BaselineCheck
{
    // No baseline of this test for this key yet: the received file, what other keys' baselines say of the
    // run, and the command that accepts it (or, with the accept switch on, the accepted baseline).
    static BaselineOutcome NoBaseline(BaselineStore store, BaselineFile current, string verifiedPath, bool acceptRequested, string? wrongThreads, bool isTest)
    {
        var (key, test, fingerprint) = (current.Key, current.Test, current.Fingerprint);
        var drift = DriftReport.Against(store, test, key, fingerprint);
        var unwritten = TryWriteReceived(store, current, null);
        if (acceptRequested && unwritten is null) return Accept(store, key, test, verifiedPath, null, drift, "no baseline existed");
        var message = new StringBuilder()
            .Append("No baseline for ").Append(key).Append(" (test ").Append(test).Append(").\n")
            .Append(unwritten ?? "Received: " + store.ReceivedPath(key, test) + "\n")
            .Append(drift.Render())
            .Append(unwritten is not null ? "" : wrongThreads ?? AcceptHint(key, test, isTest, store.Root));
        return new BaselineOutcome(BaselineStatus.Missing, test, key, message.ToString(), verifiedPath, unwritten is null ? store.ReceivedPath(key, test) : null, null, drift);
    }
}
