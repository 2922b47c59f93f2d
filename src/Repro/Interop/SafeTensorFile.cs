namespace Repro.Advanced;

/// <summary>The contents of a safetensors file: tensors in header order and the string metadata.</summary>
public sealed record SafeTensorFile(IReadOnlyList<SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="ReproException">No tensor has that name; the message lists the names there are.</exception>
    public SafeTensor this[string name] => Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new ReproException($"The safetensors file has no tensor '{name}'. It holds: {string.Join(", ", Tensors.Select(t => t.Name))}.");
}
