using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// The square root the portable CPU profile takes. MKL's vector sqrt gives other float bits on AMD and
// on Intel even on its compatible path (docs/portable-cpu.md); a float64 square root is accurate to a
// few ulps on both, and rounding that to float32 (or half precision) is the correctly rounded result
// (53 >= 2 x 24 + 2 bits), the same everywhere. Float64 itself takes .NET's Math.Sqrt, which is
// IEEE-correct on every CPU. CUDA and the native profile keep libtorch's sqrt.
internal static class PortableSqrt
{
    internal static Tensor Of(Tensor x)
    {
        if (!CpuProfile.Active || x.device_type != DeviceType.CPU) return x.sqrt();
        if (x.dtype == ScalarType.Float64) return Managed(x);
        using var wide = x.to(ScalarType.Float64);
        wide.sqrt_();
        return wide.to(x.dtype);
    }

    static Tensor Managed(Tensor x)
    {
        using var dense = x.contiguous();
        var values = dense.data<double>().ToArray();
        for (var i = 0; i < values.Length; i++) values[i] = Math.Sqrt(values[i]);
        return torch.tensor(values, dtype: ScalarType.Float64).reshape(x.shape);
    }
}
