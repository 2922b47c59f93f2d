using Repro.Advanced;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.DualTask;

/// <summary>How <see cref="DualTaskModel"/> computes self-attention. JSON: <c>"module"</c> or <c>"sdpa"</c>.</summary>
public enum AttentionKernel
{
    /// <summary>
    /// TorchSharp's <c>MultiheadAttention</c>: libtorch's C++ module, bmm / softmax / dropout / bmm with the
    /// query scaled first. The default; every committed baseline was trained with it.
    /// </summary>
    Module,

    /// <summary>
    /// The same in- and out-projection weights, with the attention itself computed by
    /// <c>scaled_dot_product_attention</c> (what Python's <c>nn.MultiheadAttention</c> calls): a fused kernel on
    /// CUDA, different rounding and dropout draws, so its own baselines.
    /// </summary>
    Sdpa,
}

/// <summary>How <see cref="DualTaskModel"/>'s batch norms call libtorch. JSON: <c>"module"</c> or <c>"cudnn"</c>.</summary>
public enum BatchNormKernel
{
    /// <summary>TorchSharp's <c>BatchNorm1d</c>, which calls <c>batch_norm</c> with cuDNN disabled. The default.</summary>
    Module,

    /// <summary>
    /// <c>batch_norm</c> with cuDNN enabled, as Python's <c>nn.BatchNorm1d</c> calls it: cuDNN's kernel on CUDA
    /// (its own baselines). CUDA only: ATen ignores the flag on the CPU, so a CPU run is refused rather than
    /// trained under a name that promises cuDNN.
    /// </summary>
    Cudnn,
}

// The options' JSON: exactly the documented lower-case names. A misspelt or numeric value names the field,
// the value and the choices, where the default enum converter would only name the type or accept any number.
internal abstract class KernelChoiceJson<T>(string field) : JsonConverter<T> where T : struct, Enum
{
    internal static string Allowed => string.Join(", ", Enum.GetValues<T>().Select(Text));

    static string Text(T value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"{field} must be a string, one of: {Allowed} (found a JSON {reader.TokenType.ToString().ToLowerInvariant()}).");
        var text = reader.GetString();
        foreach (var value in Enum.GetValues<T>())
            if (string.Equals(Text(value), text, StringComparison.Ordinal)) return value;
        throw new JsonException($"{field}='{text}' is not one of: {Allowed}.");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Enum.IsDefined(value) ? Text(value) : throw new JsonException($"{field}={Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)} is not one of: " +
            $"{Allowed}."));
}

internal sealed class AttentionKernelJson() : KernelChoiceJson<AttentionKernel>("DualTaskModelConfig.Attention");

internal sealed class BatchNormKernelJson() : KernelChoiceJson<BatchNormKernel>("DualTaskModelConfig.BatchNorm");

internal sealed class AdamWKernelJson() : KernelChoiceJson<AdamWKernel>("DualTaskConfig.Optimizer");
