using Repro.Advanced;

namespace Repro.DualTask;

/// <summary>How a <see cref="BatchLoader"/> orders and materialises batches.</summary>
public sealed record BatchLoaderOptions
{
    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Shuffle with <see cref="EpochOrder"/>; off gives dataset order (for evaluation).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Drop a final batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>Threads gathering batches; any count gives the same batches.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>
    /// Std of Gaussian noise added to the inputs (augmentation); 0, the default, adds none. The noise
    /// of a sample comes from <c>RandomStreams.Create(seed, "input-noise/epoch{epoch}", sample)</c>, so
    /// it depends on the sample and the epoch but not on the worker or batch that gathers it.
    /// </summary>
    public float NoiseStd { get; init; }

    internal void Validate()
    {
        if (BatchSize < 1) throw new ReproException($"BatchLoaderOptions.BatchSize={BatchSize} must be at least 1.");
        if (Workers < 1) throw new ReproException($"BatchLoaderOptions.Workers={Workers} must be at least 1.");
        if (!(NoiseStd >= 0) || float.IsInfinity(NoiseStd))
            throw new ReproException($"BatchLoaderOptions.NoiseStd={NoiseStd} must be a finite number, 0 or more (0 turns noise off).");
    }
}
