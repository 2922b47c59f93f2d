namespace Repro;

/// <param name="Names">The names the check gave <see cref="EpochContext.Sums"/>, in order.</param>
/// <param name="Tensor">The F64 tensor in the checkpoint's safetensors file that holds their values.</param>
internal sealed record EpochSumsRecord(IReadOnlyList<string> Names, string Tensor);

// The epoch sums' part of a checkpoint: written at a mid-epoch checkpoint, handed back to the resumed
// epoch in the order the check asks for them again, so the running sums continue from the same bits.
internal sealed class EpochSumsCheckpoint
{
    const string Prefix = "epoch-sums.";

    readonly string _folder;
    readonly IReadOnlyList<EpochSumsRecord>? _records;
    readonly IReadOnlyDictionary<string, SafeTensor> _tensors;
    int _asked;

    EpochSumsCheckpoint(string folder, IReadOnlyList<EpochSumsRecord>? records, IReadOnlyDictionary<string, SafeTensor> tensors)
    {
        _folder = folder;
        _records = records;
        _tensors = tensors;
    }

    internal static (IReadOnlyList<EpochSumsRecord> Records, IReadOnlyList<SafeTensor> Tensors) Capture(EpochContext? epoch)
    {
        if (epoch is null) return ([], []);
        var records = new List<EpochSumsRecord>();
        var tensors = new List<SafeTensor>();
        foreach (var sums in epoch.OpenSums)
        {
            var name = Prefix + records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            records.Add(new EpochSumsRecord(sums.Names, name));
            tensors.Add(TensorBytes.ToSafeTensor(name, sums.Values));
        }
        return (records, tensors);
    }

    /// <summary>The sums of a mid-epoch checkpoint; a schema 1 checkpoint has none recorded (null records).</summary>
    internal static EpochSumsCheckpoint For(LoadedCheckpoint loaded) => new(loaded.Folder, loaded.Manifest.EpochSums, loaded.Tensors);

    /// <summary>Copies the stored values of the check's <paramref name="index"/>-th sums of the resumed epoch into <paramref name="values"/>.</summary>
    internal void Restore(int epoch, int index, IReadOnlyList<string> names, TorchSharp.torch.Tensor values)
    {
        if (_records is null)
            throw new ReproException($"Cannot resume from checkpoint {_folder}: it was taken inside epoch {epoch} by an older Repro (checkpoint schema 1), " +
                $"which did not store the epoch's context.Sums, and this check keeps its sums ({string.Join(", ", names)}) there, so the resumed epoch would lose the steps before the checkpoint. " +
                "Resume from a checkpoint taken at the end of an epoch, or train again from the start.");
        _asked = Math.Max(_asked, index + 1);
        // Sums the check asked for after the checkpoint was taken start from zero, as they did then.
        if (index >= _records.Count) return;
        var record = _records[index];
        if (!record.Names.SequenceEqual(names, StringComparer.Ordinal))
            throw new ReproException($"Cannot resume from checkpoint {_folder}: " +
                $"the epoch sums #{index + 1} it holds are ({string.Join(", ", record.Names)}) and this check asks for ({string.Join(", ", names)}): " +
                "the check's code changed since the checkpoint was written. Resume with the code that wrote it, or start again.");
        if (!_tensors.TryGetValue(record.Tensor, out var stored))
            throw CheckpointReader.Damaged(_folder, $"its manifest lists the epoch sums tensor {record.Tensor}, which the tensors file lacks");
        TensorBytes.CopyInto(stored, values, $"epoch sums ({string.Join(", ", names)})");
    }

    /// <summary>At the end of the resumed epoch: sums the checkpoint holds that the check never asked for again mean the code changed.</summary>
    internal void EpochEnded(int epoch)
    {
        if (_records is null || _asked >= _records.Count) return;
        var missing = _records.Skip(_asked).Select(r => $"({string.Join(", ", r.Names)})");
        throw new ReproException($"Cannot resume from checkpoint {_folder}: it holds the epoch sums {string.Join(", ", missing)} of epoch {epoch}, " +
            $"which this check's epoch {epoch} never asked for (context.Sums): the check's code changed since the checkpoint was written. Resume with the code that wrote it, or start again.");
    }
}
