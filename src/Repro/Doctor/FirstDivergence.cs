namespace Repro;

/// <summary>
/// Where two traced runs of the same config first differ: the step, the phase that went first
/// (batch, rng, forward, backward or update), the stage or parameter, and whether its inputs matched.
/// </summary>
/// <param name="Step">1-based optimizer step.</param>
/// <param name="Epoch">1-based epoch of that step.</param>
/// <param name="Phase">"batch" (sample indices), "rng" (generator state before the step), "forward", "backward" (a gradient) or "update" (a parameter after the optimizer step).</param>
/// <param name="Name">The forward stage (a submodule, or a stage the model recorded through <see cref="IForwardTrace"/>) or parameter name.</param>
/// <param name="Input">What fed it: the previous forward stage, "batch" for the input stage, "forward pass" for gradients, "gradients" for updates; null for batch and rng.</param>
/// <param name="InputsMatched">Whether that input (and, at step 1, the initial weights) matched in both runs: true means this operation itself is the culprit, not anything upstream.</param>
internal sealed record FirstDivergence(long Step, int Epoch, string Phase, string Name, string? Input, bool? InputsMatched)
{
    /// <summary>One line for reports.</summary>
    public string Describe() =>
        $"step {Step} (epoch {Epoch}), {Phase} '{Name}'" +
        (Input is null ? "" : InputsMatched == true ? $"; its input ({Input}) matched in both runs, so this operation is the first to differ"
            : $"; its input ({Input}) already differed");
}
