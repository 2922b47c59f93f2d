using static TorchSharp.torch;

namespace Repro;

/// <summary>
/// Running sums of named quantities over an epoch's steps (a loss times the batch size, correct
/// predictions), from <see cref="EpochContext.Sums"/>: one float64 value per name in a tensor on the
/// training device, so adding costs no device synchronisation. The harness owns it: a mid-epoch checkpoint
/// stores it and a resumed run's epoch starts from the stored bits, so a check needs no
/// <see cref="TrainingCheck.SaveState"/> for it; it is released when the epoch ends.
/// </summary>
public sealed class EpochSums
{
    readonly Tensor _values;
    bool _disposed;

    internal EpochSums(IReadOnlyList<string> names, Tensor values)
    {
        Names = names;
        _values = values;
    }

    /// <summary>The names, in the order of the values <see cref="Add"/> takes.</summary>
    public IReadOnlyList<string> Names { get; }

    // The running sums themselves, for the checkpoint.
    internal Tensor Values => _values;

    /// <summary>
    /// Adds one value per name, in <see cref="Names"/> order (a tensor of that many elements on the training
    /// device, or a scalar for a single name), in place and without recording gradients. Values of another
    /// dtype are converted to float64 first (<c>values.to(float64)</c>), so the sums are exactly those of
    /// <c>sums.add_(values.to(float64))</c>.
    /// </summary>
    public void Add(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ThrowIfEnded();
        if (values.numel() != Names.Count)
            throw new ReproException($"The epoch sums ({string.Join(", ", Names)}) take {Names.Count} value(s) per Add, " +
                $"and this tensor has {values.numel()} (shape [{string.Join(", ", values.shape)}]). Pass one value per name, in that order: stack([...]).");
        using var noGrad = no_grad();
        if (values.dtype == ScalarType.Float64)
        {
            AddInPlace(values);
            return;
        }
        using var converted = values.to(ScalarType.Float64);
        AddInPlace(converted);
    }

    /// <summary>The sums so far by name, read from the device (one synchronisation): call it once, at the end of the epoch.</summary>
    public IReadOnlyDictionary<string, double> Totals()
    {
        ThrowIfEnded();
        using var cpu = _values.cpu();
        var values = cpu.data<double>().ToArray();
        var totals = new Dictionary<string, double>(Names.Count, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++) totals.Add(Names[i], values[i]);
        return totals;
    }

    internal void Dispose()
    {
        _disposed = true;
        _values.Dispose();
    }

    void AddInPlace(Tensor values)
    {
        // A [1, n] or [n, 1] tensor would not broadcast into [n]; a scalar or [n] adds as it is.
        if (values.dim() <= 1)
        {
            _values.add_(values);
            return;
        }
        using var flat = values.reshape(Names.Count);
        _values.add_(flat);
    }

    void ThrowIfEnded()
    {
        if (_disposed)
            throw new ReproException($"The epoch sums ({string.Join(", ", Names)}) belong to an epoch that has ended; read their Totals() before TrainEpoch returns, " +
                "and ask each epoch for its own with context.Sums(...).");
    }
}
