using static TorchSharp.torch;

namespace Repro;

// What the harness refuses from a check, each with the check's name, what was wrong and the fix,
// before training starts where it can be known then.
internal static class CheckValidation
{
    internal static void Validate(TrainingCheck check)
    {
        var name = check.Name;
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) >= 0 || name.StartsWith('.'))
            throw new ReproException($"The check {check.GetType().Name} is named '{name}', which cannot name a baseline file: use letters, digits, '.', '-' and '_'.");
        if (check.Epochs < 1)
            throw new ReproException($"The check '{name}' trains {check.Epochs} epochs; it must train at least 1.");
        if (check.Determinism is null)
            throw new ReproException($"The check '{name}' returned null Determinism; return new DeterminismOptions() (or leave it as it is).");
        if (check.Comparison is null)
            throw new ReproException($"{check.GetType().Name}.Comparison returned null; return ComparisonOptions.Exact to compare exactly, or the tolerances to compare with.");
    }

    internal static void ValidateModel(TrainingCheck check, nn.Module model)
    {
        if (!model.parameters().Any())
            throw new ReproException($"The model of check '{check.Name}' ({model.GetType().Name}) has no parameters: there is nothing to train or fingerprint. " +
                "Register its layers as fields and call RegisterComponents() in its constructor.");
    }

    internal static void ValidateEpoch(TrainingCheck check, int epoch, Metrics metrics, EpochRecord? previous)
    {
        if (metrics.Count == 0)
            throw new ReproException($"The check '{check.Name}' returned no metrics for epoch {epoch}; return at least one, e.g. new Metrics {{ [\"loss\"] = meanLoss }}.");
        foreach (var (metric, value) in metrics)
            if (!double.IsFinite(value))
                throw new ReproException($"The check '{check.Name}' reported {metric} = {value} in epoch {epoch}: training diverged or the metric divides by zero. " +
                    "A NaN or infinite value cannot be compared bit for bit; fix the training (learning rate, loss) or the metric.");
        if (previous is not null && !previous.Metrics.Keys.SequenceEqual(metrics.Keys, StringComparer.Ordinal))
            throw new ReproException($"The check '{check.Name}' reported metrics [{string.Join(", ", metrics.Keys)}] in epoch {epoch} but [{string.Join(", ", previous.Metrics.Keys)}] in epoch {previous.Epoch}; " +
                "every epoch must report the same names in the same order.");
    }

    internal static void ValidateFinal(TrainingCheck check, FinalResult final)
    {
        if (final.Metrics is null)
            throw new ReproException($"The check '{check.Name}' returned a FinalResult with null Metrics; leave Metrics out (no final metrics) or set new Metrics {{ ... }}.");
        if (final.Evaluation?.FirstOrDefault(e => e.Value is null) is { Key: { } empty })
            throw new ReproException($"The check '{check.Name}' returned the evaluation record '{empty}' as null; leave it out of FinalResult.Evaluation or give it a value.");
        foreach (var (metric, value) in final.Metrics)
            if (!double.IsFinite(value))
                throw new ReproException($"The check '{check.Name}' reported the final metric {metric} = {value}; a NaN or infinite value cannot be compared bit for bit. " +
                    "Fix the evaluation (an empty test set gives NaN) or leave the metric out.");
        if (final.BestEpoch is { } best && (best < 1 || best > check.Epochs))
            throw new ReproException($"The check '{check.Name}' reported best epoch {best}, outside 1..{check.Epochs}.");
    }
}
