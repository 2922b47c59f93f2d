using System.Text.Json;
using static TorchSharp.torch;

namespace Repro;

/// <summary>
/// A check's own part of a checkpoint: named tensors (stored in the checkpoint's safetensors file) and
/// named JSON values (stored in its manifest). <see cref="TrainingCheck.SaveState"/> fills it,
/// <see cref="TrainingCheck.LoadState"/> reads it back. Tensors are copied when set, so later in-place
/// changes do not reach the checkpoint; values are written with <see cref="ReproJson"/> (doubles round-trip exactly).
/// </summary>
public sealed class CheckpointState
{
    readonly Dictionary<string, SafeTensor> _tensors;
    readonly Dictionary<string, JsonElement> _values;
    readonly bool _writable;

    internal CheckpointState(TrainingContext training, CheckpointPosition position)
    {
        Training = training;
        Position = position;
        _tensors = new(StringComparer.Ordinal);
        _values = new(StringComparer.Ordinal);
        _writable = true;
    }

    internal CheckpointState(TrainingContext training, CheckpointPosition position, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, JsonElement> values)
    {
        Training = training;
        Position = position;
        _tensors = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _values = new(values, StringComparer.Ordinal);
    }

    /// <summary>The run being saved or resumed (model, optimizer, counters, already restored when loading).</summary>
    public TrainingContext Training { get; }

    /// <summary>Where in training the checkpoint was taken.</summary>
    public CheckpointPosition Position { get; }

    /// <summary>True when the checkpoint was taken inside an epoch (after some of its steps), false at an epoch's end.</summary>
    public bool MidEpoch => !Position.EndOfEpoch;

    /// <summary>Names of the tensors held.</summary>
    public IEnumerable<string> TensorNames => _tensors.Keys;

    /// <summary>Names of the values held.</summary>
    public IEnumerable<string> ValueNames => _values.Keys;

    internal IEnumerable<SafeTensor> Tensors => _tensors.Values;

    internal IReadOnlyDictionary<string, JsonElement> Values => _values;

    /// <summary>Stores a copy of <paramref name="value"/> (any device, any supported dtype) under <paramref name="name"/>.</summary>
    public void Set(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var stored = TensorBytes.ToSafeTensor(CheckName(name), value);
        _tensors.Add(name, stored);
    }

    /// <summary>Stores <paramref name="value"/> as JSON under <paramref name="name"/>.</summary>
    public void SetValue<T>(string name, T value)
    {
        CheckName(name);
        _values.Add(name, JsonSerializer.SerializeToElement(value, ReproJson.Options));
    }

    /// <summary>True when a tensor or value of that name is held.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name) || _values.ContainsKey(name);

    /// <summary>The tensor stored under <paramref name="name"/>, as a new CPU tensor the caller disposes.</summary>
    public Tensor Get(string name) => TensorBytes.ToTensor(Find(name));

    /// <summary>Copies the tensor stored under <paramref name="name"/> into <paramref name="destination"/> (same shape and dtype, any device), without recording gradients.</summary>
    public void CopyTo(string name, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        TensorBytes.CopyInto(Find(name), destination, $"the check state '{name}'");
    }

    /// <summary>The value stored under <paramref name="name"/>.</summary>
    public T GetValue<T>(string name)
    {
        if (!_values.TryGetValue(name, out var element))
            throw Missing(name);
        try
        {
            return element.Deserialize<T>(ReproJson.Options)!;
        }
        catch (JsonException ex)
        {
            throw new ReproException($"The checkpoint value '{name}' cannot be read as {typeof(T).Name}: {ex.Message} Save and load it with the same type.", ex);
        }
    }

    SafeTensor Find(string name) => _tensors.TryGetValue(name, out var tensor) ? tensor : throw Missing(name);

    ReproException Missing(string name) => new(
        $"The checkpoint holds no check state '{name}' (it holds tensors [{string.Join(", ", _tensors.Keys)}] and values [{string.Join(", ", _values.Keys)}]). " +
        "SaveState and LoadState must use the same names; a checkpoint written by an older version of the check cannot be resumed by this one.");

    string CheckName(string name)
    {
        if (!_writable) throw new ReproException("This checkpoint state is being loaded; it can only be read. Store state in SaveState.");
        if (string.IsNullOrWhiteSpace(name)) throw new ReproException("A checkpoint state name must not be empty.");
        if (Contains(name)) throw new ReproException($"The checkpoint state '{name}' was set twice; give each tensor or value its own name.");
        return name;
    }
}
