namespace Repro.DualTask;

/// <summary>One materialised batch: contiguous copies of the selected windows and their targets.</summary>
public sealed class Batch
{
    internal Batch(int index, int[] samples, float[] inputs, float[] rul, long[] health)
    {
        Index = index;
        Samples = samples;
        Inputs = inputs;
        Rul = rul;
        Health = health;
    }

    /// <summary>Position of the batch within its epoch.</summary>
    public int Index { get; }

    /// <summary>Number of windows in the batch.</summary>
    public int Count => Samples.Length;

    /// <summary>Indices of the windows in the source <see cref="WindowSet"/>.</summary>
    public int[] Samples { get; }

    /// <summary>Row-major <c>[Count, WindowLength, Channels]</c>.</summary>
    public float[] Inputs { get; }

    /// <summary>Capped RUL targets.</summary>
    public float[] Rul { get; }

    /// <summary>Health class targets.</summary>
    public long[] Health { get; }
}
