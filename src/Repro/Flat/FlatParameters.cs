using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Advanced;

/// <summary>
/// The parameters of a model held as views into a few contiguous buffers - one per dtype and device,
/// plus any run of parameters a module already keeps contiguous (cuDNN's RNN weights) - with their
/// gradients in buffers of the same layout. An optimizer step, weight decay, zero-grad or an EMA
/// update is then a handful of element-wise kernels over the whole model instead of a few per tensor;
/// each element goes through the same operations as on its own tensor.
/// </summary>
/// <remarks>
/// Creating it moves each parameter that owns its storage into a buffer (the <see cref="TorchSharp.Modules.Parameter"/>
/// objects stay the same, so the model keeps working; views of a parameter taken before no longer
/// follow it). Offsets are aligned to 512 bytes, the alignment separately allocated tensors get, so
/// kernels that choose a path by alignment see what they saw before. A parameter's <c>.grad</c>
/// becomes a view of the gradient buffer the first time an optimizer step finds a gradient there;
/// backward then accumulates into it in place.
/// </remarks>
public sealed class FlatParameters : IDisposable
{
    readonly (string Name, TorchSharp.Modules.Parameter Parameter)[] _parameters;
    readonly FlatChunk[] _chunks;
    readonly (int Chunk, int Member)[] _location;

    FlatParameters((string, TorchSharp.Modules.Parameter)[] parameters, FlatChunk[] chunks)
    {
        _parameters = parameters;
        _chunks = chunks;
        _location = new (int, int)[parameters.Length];
        for (var c = 0; c < chunks.Length; c++)
            for (var m = 0; m < chunks[c].Members.Count; m++)
                _location[chunks[c].Members[m].Index] = (c, m);
    }

    /// <summary>Flattens the named parameters of <paramref name="model"/>.</summary>
    public static FlatParameters Create(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(model.named_parameters().Select(p => (p.name, p.parameter)));
    }

    /// <summary>Flattens the given named parameters (each at most once).</summary>
    public static FlatParameters Create(IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToArray();
        for (var i = 0; i < list.Length; i++)
        {
            if (list[i].Parameter is null) throw new ReproException($"FlatParameters: parameter '{list[i].Name}' is null.");
            for (var j = 0; j < i; j++)
                if (ReferenceEquals(list[i].Parameter, list[j].Parameter) || list[i].Parameter.Handle == list[j].Parameter.Handle)
                    throw new ReproException($"FlatParameters: '{list[i].Name}' and '{list[j].Name}' are the same parameter; pass each parameter once (tied weights are one parameter).");
        }
        using var noGrad = no_grad();
        return new FlatParameters(list, FlatLayout.Build([.. list.Select(p => p.Parameter)]));
    }

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> Parameters => _parameters;

    /// <summary>The parameters' memory as a few tensors: element-wise maths over these touches every parameter once.</summary>
    public IReadOnlyList<Tensor> Chunks => [.. _chunks.Select(c => c.Values)];

    internal IReadOnlyList<FlatChunk> Layout => _chunks;

    /// <summary>
    /// Buffers with this layout (optimizer moments, EMA shadows): zeros, or a copy of the parameters'
    /// current values; dispose them when done.
    /// </summary>
    public FlatBuffers CreateBuffers(bool copyParameters = false)
    {
        using var noGrad = no_grad();
        var chunks = _chunks.Select(c => (copyParameters ? c.Values.clone() : zeros_like(c.Values)).DetachFromDisposeScope()).ToArray();
        var views = _location.Select(l => _chunks[l.Chunk].ViewOf(chunks[l.Chunk], _chunks[l.Chunk].Members[l.Member]).DetachFromDisposeScope()).ToArray();
        return new FlatBuffers(chunks, views);
    }

    /// <summary>Zeroes every gradient in place: one kernel per chunk (a gradient something replaced is zeroed as it is).</summary>
    public void ZeroGrad()
    {
        foreach (var chunk in _chunks) chunk.ZeroGradients();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var chunk in _chunks) chunk.Dispose();
    }
}

/// <summary>Tensors in the layout of a <see cref="FlatParameters"/>: whole chunks, and one view per parameter.</summary>
public sealed class FlatBuffers : IDisposable
{
    internal FlatBuffers(Tensor[] chunks, Tensor[] views)
    {
        Chunks = chunks;
        Views = views;
    }

    /// <summary>One tensor per chunk of <see cref="FlatParameters.Chunks"/>, of the same shape.</summary>
    public IReadOnlyList<Tensor> Chunks { get; }

    /// <summary>One view per parameter, in parameter order and shaped like it.</summary>
    public IReadOnlyList<Tensor> Views { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var view in Views) view.Dispose();
        foreach (var chunk in Chunks) chunk.Dispose();
    }
}
