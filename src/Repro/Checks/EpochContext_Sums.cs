using static TorchSharp.torch;

namespace Repro;

public sealed partial class EpochContext
{
    readonly List<EpochSums> _sums = [];

    /// <summary>
    /// Running sums of the named quantities over this epoch's steps, zero at the epoch's start:
    /// <c>var sums = context.Sums("loss", "correct");</c>, <c>sums.Add(...)</c> in each step,
    /// <c>sums.Totals()</c> at the end. A mid-epoch checkpoint stores them and a resumed epoch starts from
    /// the stored values, bit for bit, so the resumed run's metrics are the uninterrupted run's without any
    /// <see cref="TrainingCheck.SaveState"/>. An epoch may ask for several; each call gives new sums.
    /// </summary>
    public EpochSums Sums(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0)
            throw new ReproException("context.Sums needs at least one name, e.g. context.Sums(\"loss\", \"correct\").");
        if (names.FirstOrDefault(string.IsNullOrWhiteSpace) is not null || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ReproException($"The names of context.Sums({string.Join(", ", names.Select(n => $"\"{n}\""))}) must be distinct and not empty.");
        var values = zeros(names.Length, dtype: ScalarType.Float64, device: _training.Device).DetachFromDisposeScope();
        // The sums a resumed run's checkpoint took in this epoch, restored where the check asks for them.
        _training.Checkpoints?.RestoreSums(this, _sums.Count, names, values);
        var sums = new EpochSums([.. names], values);
        _sums.Add(sums);
        return sums;
    }

    // The sums this epoch handed out so far, in the order it asked for them.
    internal IReadOnlyList<EpochSums> OpenSums => _sums;

    void DisposeSums()
    {
        foreach (var sums in _sums) sums.Dispose();
    }
}
