namespace Repro.DualTask;

/// <summary>How <see cref="CmapssPreprocessing.Prepare"/> cuts units into model inputs.</summary>
public sealed record PreprocessingOptions
{
    /// <summary>Cycles per window; shorter units are padded at the front by repeating their first row.</summary>
    public int WindowLength { get; init; } = 30;

    /// <summary>Cycles between consecutive training windows; windows are anchored at each unit's last cycle.</summary>
    public int Stride { get; init; } = 1;

    /// <summary>RUL cap of the regression target, see <see cref="RulLabels"/>.</summary>
    public int RulCap { get; init; } = RulLabels.DefaultCap;

    /// <summary>Share of training units held out, whole units, for early stopping; 0 for none.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    internal void Validate()
    {
        if (WindowLength < 1) throw new ReproException($"PreprocessingOptions.WindowLength={WindowLength} must be at least 1 (the chapter uses 30).");
        if (Stride < 1) throw new ReproException($"PreprocessingOptions.Stride={Stride} must be at least 1.");
        if (RulCap < 1) throw new ReproException($"PreprocessingOptions.RulCap={RulCap} must be at least 1 (the chapter uses {RulLabels.DefaultCap}).");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ReproException($"PreprocessingOptions.ValidationFraction={ValidationFraction} must be in [0, 1).");
    }
}
