namespace Repro;

/// <summary>What <see cref="Doctor.Diagnose"/> runs besides the environment audit.</summary>
internal sealed record DoctorOptions
{
    /// <summary>Train twice in this process and compare (default). Off: audit and baseline diff only, no training.</summary>
    public bool RunTwice { get; init; } = true;

    /// <summary>
    /// Also train once in a child process (the repro CLI) and compare with this process's run: the only
    /// way to catch causes that are fixed within a process but differ between processes (string hashing).
    /// </summary>
    public bool CrossProcess { get; init; }

    /// <summary>
    /// Also train in second processes that change what must not matter - processor count, thread-pool
    /// minimums, environment order, GC mode, culture - all at once, then one by one when that run
    /// differs, and name the perturbation that changed the result (latent non-determinism: identical
    /// here, different on another machine). Implies <see cref="CrossProcess"/>.
    /// </summary>
    public bool Perturb { get; init; }

    /// <summary>
    /// Compare the run with the verified baseline of this environment key and test, and report whether it
    /// matches and, when not, the first piece of state that moved (<see cref="DoctorReport.FirstMovedState"/>)
    /// with what that means. Refused before any training when there is no such baseline or it was recorded
    /// with other settings. A mismatch is settled in a second and perturbed processes before it is called
    /// drift, as without this option. Needs <see cref="RunTwice"/>.
    /// </summary>
    public bool AgainstBaseline { get; init; }

    /// <summary>Where to look for this config's baseline; null: <see cref="BaselineStore.Default"/>.</summary>
    public BaselineStore? Store { get; init; }

    /// <summary>Baseline (test) name; null: the check's <see cref="TrainingCheck.Name"/>.</summary>
    public string? Test { get; init; }

    /// <summary>Most training steps kept in a divergence trace; bounds the doctor's memory.</summary>
    public int MaxTraceSteps { get; init; } = 5000;

    /// <summary>Path of Repro.Cli.dll for <see cref="CrossProcess"/>; null: the check's own test executable when Repro.Xunit's build files marked it, else Repro.Cli.dll next to the running application.</summary>
    public string? CliPath { get; init; }

    /// <summary>How long the child process may train.</summary>
    public TimeSpan ChildTimeout { get; init; } = TimeSpan.FromMinutes(10);

    // The perturbation kinds to run (null: all): a test that proves one kind need not pay for nine processes.
    internal IReadOnlyCollection<string>? OnlyPerturbations { get; init; }

    // Reads the native environment; tests replace it to audit an environment they cannot create in-process.
    internal Func<string, string?> NativeVariables { get; init; } = Native.LibC.GetEnv;

    internal void Validate()
    {
        if (MaxTraceSteps < 1) throw new ReproException($"DoctorOptions.MaxTraceSteps={MaxTraceSteps} must be at least 1 (it bounds the steps kept in a divergence trace).");
        if (AgainstBaseline && !RunTwice) throw new ReproException("DoctorOptions.AgainstBaseline compares a training with the baseline, but RunTwice is off (--audit-only), so nothing is trained. " +
            "Leave one of them off.");
        if (ChildTimeout <= TimeSpan.Zero) throw new ReproException($"DoctorOptions.ChildTimeout={ChildTimeout} must be positive.");
    }
}
