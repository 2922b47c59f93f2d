using System.Text;

namespace Repro;

/// <summary>The doctor's overall answer.</summary>
internal enum DoctorVerdict
{
    /// <summary>Runs reproduce and nothing was found that can move numbers.</summary>
    Clean,
    /// <summary>Runs reproduce, but settings or environment differences can move numbers (drift) or make other devices non-deterministic.</summary>
    Warnings,
    /// <summary>Two runs of the same config differ (or could not run safely): the training is not reproducible here.</summary>
    NonDeterministic,
}

/// <summary>What <see cref="Doctor.Diagnose"/> found: findings, the evidence behind them, and a verdict.</summary>
internal sealed record DoctorReport
{
    public required DoctorVerdict Verdict { get; init; }
    public required string Check { get; init; }
    public required string Device { get; init; }
    /// <summary>Errors first, then warnings, then info.</summary>
    public required IReadOnlyList<DoctorFinding> Findings { get; init; }
    /// <summary>Every switch and library version as read back now.</summary>
    public required IReadOnlyList<AuditFact> Audit { get; init; }
    /// <summary>Two runs in this process were identical; null when not run.</summary>
    public bool? InProcessIdentical { get; init; }
    /// <summary>A run in a second process matched this process's; null when not run.</summary>
    public bool? CrossProcessIdentical { get; init; }
    /// <summary>Perturbed second-process runs: all at once first, then each alone when that one differed; empty when none ran.</summary>
    public IReadOnlyList<PerturbationResult> Perturbations { get; init; } = [];
    /// <summary>Where two traced runs first differed, when they were traced.</summary>
    public FirstDivergence? FirstDivergence { get; init; }
    /// <summary>The baseline whose recorded environment was compared, if any.</summary>
    public string? BaselinePath { get; init; }
    /// <summary>
    /// Whether this process's first run matches the verified baseline of its key and test; null when no such
    /// baseline was compared (none for this key, other settings, or the runs did not reproduce here).
    /// </summary>
    public bool? MatchesBaseline { get; init; }
    /// <summary>
    /// When the run does not match its baseline: the first piece of state that moved (a data stage, the initial
    /// weights, or per epoch the CPU or CUDA generator, the batch order, the weights, the optimizer) and what
    /// that means; null when it matches or the baseline carries no trace.
    /// </summary>
    public MovedState? FirstMovedState { get; init; }

    /// <summary>True when the verdict is <see cref="DoctorVerdict.Clean"/>.</summary>
    public bool IsClean => Verdict == DoctorVerdict.Clean;

    /// <summary>Findings of one code (tests and scripts match on codes).</summary>
    public IEnumerable<DoctorFinding> WithCode(string code) => Findings.Where(f => f.Code == code);

    /// <summary>The report for people: verdict, each finding with what, where and fix, then the audit.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("repro doctor: ").Append(Check).Append(" on ").Append(Device).Append('\n');
        text.Append("Verdict: ").Append(Verdict switch
        {
            DoctorVerdict.Clean => "CLEAN (runs reproduce; nothing found that moves numbers)",
            DoctorVerdict.Warnings => "WARNINGS (runs reproduce; causes of drift or GPU non-determinism found)",
            _ => "NON-DETERMINISTIC (runs of the same config differ)",
        }).Append('\n');
        text.Append("Same process, two runs: ").Append(Describe(InProcessIdentical)).Append('\n');
        text.Append("Two processes:          ").Append(Describe(CrossProcessIdentical)).Append('\n');
        foreach (var perturbation in Perturbations.Where(p => p.Identical is not null))
            text.Append("Perturbed process:      ").Append(perturbation.Identical == true ? "identical" : "DIFFERENT").Append(" with ").Append(perturbation.Name).Append('\n');
        if (FirstDivergence is { } divergence) text.Append("First divergence:       ").Append(divergence.Describe()).Append('\n');
        if (BaselinePath is not null) text.Append("Baseline compared:      ").Append(BaselinePath).Append('\n');
        if (MatchesBaseline is { } matches) text.Append("Against the baseline:   ").Append(matches ? "identical" : "DIFFERENT").Append('\n');
        if (FirstMovedState is { } moved) text.Append("First moved state:      ").Append(moved.Description).Append('\n');
        text.Append('\n');
        foreach (var finding in Findings)
        {
            text.Append('[').Append(finding.Severity.ToString().ToLowerInvariant()).Append("] ").Append(finding.Code).Append('\n')
                .Append("  what:  ").Append(finding.What).Append('\n')
                .Append("  where: ").Append(finding.Where).Append('\n')
                .Append("  fix:   ").Append(finding.Fix).Append('\n');
        }
        text.Append("\nAudit (read back now):\n");
        foreach (var fact in Audit) text.Append("  ").Append(fact.Name.PadRight(28)).Append(' ').Append(fact.Value).Append('\n');
        return text.ToString();
    }

    static string Describe(bool? identical) => identical switch
    {
        true => "identical",
        false => "DIFFERENT",
        null => "not run",
    };
}
