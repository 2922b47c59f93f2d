namespace Repro;

internal static partial class BaselineCheck
{
    // Whether a mismatch reproduces: in this process, then in the runs outside it; and, when all of them
    // agree, whether a recorded change explains the move (drift) or nothing changed (not reproducible over time).
    // Null: no re-run was asked for. Unsettled: it reproduced here, but no other process could train it.
    static (bool? Deterministic, bool Unsettled, string Kind) Settle(BaselineFile verified, BaselineFile current, ComparisonOptions? options,
        Func<TrainingFingerprint>? rerun, Func<IEnumerable<OtherRun>>? elsewhere, string? elsewhereUnavailable)
    {
        var deterministic = rerun is null ? (bool?)null : Same(current, rerun(), options);
        var unsettled = false;
        var kind = deterministic switch
        {
            true => "Re-ran in this process: identical to this run",
            false => $"Re-ran in this process: the two runs differ, so the training is NOT deterministic here; run '{ToolCommand.Name} doctor' to find the first diverging operation.\n",
            null => "",
        };
        if (deterministic == true)
        {
            var checkedElsewhere = new List<string>();
            foreach (var other in elsewhere?.Invoke() ?? [])
            {
                if (Same(current, other.Fingerprint, options)) { checkedElsewhere.Add(other.Description); continue; }
                deterministic = false;
                kind += $"{(checkedElsewhere.Count > 0 ? ", and " + string.Join(", ", checkedElsewhere) : "")}; but {other.Description} DIFFERS, " +
                    $"so the training does NOT reproduce (it depends on the process or the machine); run '{ToolCommand.Name} doctor --processes --perturb' to name the cause.\n";
                break;
            }
            if (deterministic == true && checkedElsewhere.Count > 0)
            {
                kind += ", and " + string.Join(", ", checkedElsewhere);
                // Drift needs a recorded change: with none, the runs agree now but not with the baseline's time.
                var changes = RecordedChanges.Between(verified, current);
                if (changes is { Count: 0 })
                {
                    deterministic = false;
                    kind += $"; yet nothing that could explain the move changed since the baseline was recorded (same config, same code: {current.Fingerprint.Code}, " +
                        $"same environment and native stack), so the training does NOT reproduce over time. {RecordedChanges.OverTimeFix}; " +
                        $"'{ToolCommand.Name} doctor --processes --perturb' names per-process causes.\n";
                }
                else
                    kind += ", so this is drift, not non-determinism: " +
                        (changes is null ? "the baseline records no code identity, so what changed is not known (code, data or stack)" : string.Join("; ", changes)) + ".\n";
            }
            else if (deterministic == true)
            {
                unsettled = true;
                kind += $"; but no second process could train it ({elsewhereUnavailable ?? "none was asked for"}), so per-process causes (string-hash order, the clock, " +
                    "the environment) are not ruled out and this is not called drift. Settle it in a second process before accepting anything: " +
                    $"{ToolCommand.Name} doctor --processes --perturb (with the check's --assembly and --check).\n";
            }
        }
        return (deterministic, unsettled, kind);
    }
}
