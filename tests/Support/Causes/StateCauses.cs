using static TorchSharp.torch;

namespace Repro.Tests.Support.Causes;

// State a user's check keeps beyond one training, so the second training in a process differs from
// the first while a fresh process reproduces the first. Each class is diagnosed once per test
// process: its static state is what the doctor has to find.

/// <summary>A loss warm-up driven by a static step counter that nobody resets between trainings.</summary>
public sealed class StaticStepCounter : RegressionCheck
{
    static int _globalStep;

    protected override Tensor Loss(Tensor predicted, Tensor target) =>
        base.Loss(predicted, target) * Math.Min(1.0, ++_globalStep / 24.0);
}

/// <summary>Augmentation noise from a seeded torch generator created once per process, in a static field.</summary>
public sealed class StaticAugmentationGenerator : RegressionCheck
{
    static readonly TorchSharp.torch.Generator Noise = new(7);

    protected override Tensor PrepareBatch(Tensor inputs, EpochContext context) =>
        inputs + 0.01 * randn(inputs.shape, generator: Noise).to(inputs.device);
}

/// <summary>Switches torch's default dtype to float64 "for a precise final evaluation" and never puts it back.</summary>
public sealed class LeavesDefaultDtype : RegressionCheck
{
    protected internal override FinalResult Finish(TrainingContext context)
    {
        set_default_dtype(ScalarType.Float64);
        return base.Finish(context);
    }
}

/// <summary>A static cache of loaded units that every training appends to instead of replacing.</summary>
public sealed class StaticUnitCache : RegressionCheck
{
    static readonly List<Unit> Loaded = [];

    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context)
    {
        lock (Loaded)
        {
            Loaded.AddRange(base.LoadUnits(context));
            return [.. Loaded];
        }
    }
}

/// <summary>
/// A glitch in the second data preparation of a process only (what an intermittent fault gives when it
/// happens to strike the doctor's second training): the first and every later training agree, and a fresh
/// process agrees with them. Not state that survives between trainings.
/// </summary>
public sealed class SecondPreparationGlitch : RegressionCheck
{
    static int _preparations;

    /// <summary>Starts the count again, so that the next preparation in this process is its first.</summary>
    public static void Reset() => Interlocked.Exchange(ref _preparations, 0);

    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context)
    {
        var units = base.LoadUnits(context);
        if (Interlocked.Increment(ref _preparations) == 2) units[0].Rows[0] += 0.5f;
        return units;
    }
}
