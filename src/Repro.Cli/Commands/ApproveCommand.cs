using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class ApproveCommand
{
    internal static readonly Option<string?> From = new("--from")
    {
        Description = "Received runs collected from CI: the folder 'gh run download' wrote, a downloaded artifact .zip, or a folder of them. Every key in it.",
        HelpName = "dir|file.zip",
    };

    internal static Command Create()
    {
        var allKeys = new Option<bool>("--all-keys") { Description = "Approve received files of every environment key, not just this machine's." };
        var command = new Command("approve", """
            Accept received runs as the new baselines (received -> verified), after checking each is complete.
            By default only this machine's key; with --from, the received runs in CI artifacts, every key at once.
            A run whose numbers equal another key's baseline bit for bit is recorded as an alias of it.
            Lists what it accepted per key. Refused on CI.

            Examples:
              repro approve
              repro approve --test dualtask-small
              repro approve --key nvidia-h100-80gb-hbm3/cuda-13.0
              repro approve --all-keys
              gh run download 123456789 --dir ci-artifacts && repro approve --from ci-artifacts
              repro approve --from repro-gpu-nvidia-h200.zip
            """);
        command.Options.Add(CliOptions.Key);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(allKeys);
        command.Options.Add(From);
        command.Options.Add(CliOptions.Snapshots);
        command.Options.Add(CliOptions.Device);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            if (CiDetector.Detect() is { } ci)
                throw new ReproException($"repro approve was refused: this looks like CI ({ci}). Approve on a workstation and commit the baseline.");
            var store = CliOptions.StoreOf(result);
            var key = CliOptions.KeyOf(result);
            var test = CliOptions.TestOf(result);
            if (result.GetValue(From) is { } from)
            {
                if (result.GetValue(allKeys) || result.GetResult(CliOptions.Device) is { Implicit: false })
                    throw new ReproException("--from takes every key in the artifacts (narrow it with --key and --test); --all-keys and --device apply to this machine's received files only.");
                var runs = ReceivedArtifacts.Load(from).Where(r => (key is null || r.File.Key == key) && (test is null || r.File.Test == test)).ToList();
                if (runs.Count == 0)
                    throw new ReproException($"--from {from}: no received runs{(key is null ? "" : " for " + key)}{(test is null ? "" : ", test " + test)}. " +
                        "Either the CI jobs passed (nothing to accept), or the artifacts do not hold the snapshots' *.received.json files.");
                var approved = store.Approve(runs, "repro approve --from", BuiltInChecks.CurrentConfigHash);
                Print(output, store, approved, from);
                return ExitCodes.Pass;
            }
            var all = result.GetValue(allKeys);
            if (key is null && !all)
            {
                Determinism.Apply(new DeterminismOptions { Device = CliOptions.DeviceOf(result) });
                key = EnvironmentFingerprint.Capture().Key;
            }
            // The same config check as --from: a received file of another config filed under a built-in test is refused.
            var accepted = store.Approve(key, test, all, "repro approve", BuiltInChecks.CurrentConfigHashOfBuiltInTest);
            if (accepted.Accepted.Count == 0)
                output.Line($"Nothing to approve: no received files for {(all ? "any key" : key)} under {store.Root}.");
            Print(output, store, accepted, null);
            return ExitCodes.Pass;
        });
        return command;
    }

    // Per key: each test accepted, whether it is a file of its own or shares another key's, and the CI run it came from.
    static void Print(Output output, BaselineStore store, ApprovalResult approved, string? from)
    {
        if (from is not null && approved.Accepted.Count > 0)
            output.Line($"Accepted {approved.Accepted.Count} run(s) of {approved.Accepted.Select(a => a.Key).Distinct().Count()} key(s) from {from} into {store.Root}:");
        foreach (var perKey in approved.Accepted.GroupBy(a => a.Key))
        {
            if (from is not null) output.Line($"  {perKey.Key}");
            foreach (var a in perKey)
            {
                var what = a.AliasOf is null ? "" : $" (bit-identical to {a.AliasOf}: shares its baseline)";
                // Sources and CI fields come from artifacts: escaped, so no terminal sequence reaches the reviewer's screen raw.
                output.Line(from is null ? $"Accepted {TerminalText.Escape(a.Path)}{what}" : $"    {TerminalText.Escape(a.Test)}: {TerminalText.Escape(a.Path)}{what}");
                if (from is not null) output.Line($"      from {TerminalText.Escape(a.Source)}; run: {TerminalText.Escape(a.Origin?.ToString() ?? "not recorded (the file was not written on CI)")}");
            }
        }
        foreach (var note in approved.GroupChanges) output.Line("Group change: " + TerminalText.Escape(note));
        output.Document(new { accepted = approved.Accepted, groupChanges = approved.GroupChanges, root = store.Root, from });
    }
}
