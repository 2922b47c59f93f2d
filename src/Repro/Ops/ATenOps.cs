using System.Runtime.InteropServices;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Advanced;

/// <summary>
/// libtorch operators that TorchSharp 0.107 reaches only with some arguments fixed, called with every
/// argument through the libtorch already in the process (the way the determinism switches reach
/// <c>at::Context</c>). The result is an ordinary TorchSharp tensor, on the autograd graph.
/// </summary>
/// <remarks>
/// A C++ exception cannot cross into .NET, so every input libtorch would refuse is refused here first,
/// as a <see cref="ReproException"/>; a failure inside the kernel itself (out of memory) ends the process.
/// </remarks>
public static unsafe class ATenOps
{
    /// <summary>
    /// <c>at::batch_norm(input, weight, bias, runningMean, runningVar, training, momentum, eps, cudnnEnabled)</c>.
    /// TorchSharp's <c>functional.batch_norm</c> and <c>BatchNorm1d/2d/3d</c> always pass
    /// <c>cudnn_enabled = false</c>; Python's <c>F.batch_norm</c> passes <c>torch.backends.cudnn.enabled</c>
    /// (true by default), which picks cuDNN's kernel for CUDA input. ATen ignores the flag off CUDA.
    /// </summary>
    /// <param name="input">[batch, channels, ...], at least 2-D, floating point.</param>
    /// <param name="weight">Per-channel scale, or null.</param>
    /// <param name="bias">Per-channel shift, or null.</param>
    /// <param name="runningMean">Running mean (updated in place when training), or null with <paramref name="runningVar"/> null.</param>
    /// <param name="runningVar">Running variance, or null with <paramref name="runningMean"/> null.</param>
    /// <param name="training">Normalise with the batch's statistics (and update the running ones).</param>
    /// <param name="momentum">Running-statistics update factor.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="cudnnEnabled">Let ATen use cuDNN's batch norm for CUDA input.</param>
    /// <exception cref="ReproException">An input libtorch would refuse: its shape, dtype or device.</exception>
    public static Tensor BatchNorm(Tensor input, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        bool training, double momentum, double eps, bool cudnnEnabled)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckBatchNorm(input, weight, bias, runningMean, runningVar, training, eps);
        var call = (delegate* unmanaged<IntPtr, IntPtr, OptionalTensor*, OptionalTensor*, OptionalTensor*, OptionalTensor*, byte, double, double, byte, IntPtr>)BatchNormExport;
        var w = OptionalTensor.Of(weight);
        var b = OptionalTensor.Of(bias);
        var m = OptionalTensor.Of(runningMean);
        var v = OptionalTensor.Of(runningVar);
        // The at::Tensor libtorch returns is constructed in a heap slot the size of one at::Tensor, which is
        // what a TorchSharp handle is (TorchSharp deletes it with the tensor).
        var slot = ((delegate* unmanaged<nuint, IntPtr>)OperatorNew)((nuint)sizeof(IntPtr));
        call(slot, input.Handle, &w, &b, &m, &v, training ? (byte)1 : (byte)0, momentum, eps, cudnnEnabled ? (byte)1 : (byte)0);
        GC.KeepAlive(input); GC.KeepAlive(weight); GC.KeepAlive(bias); GC.KeepAlive(runningMean); GC.KeepAlive(runningVar);
        return Tensor.UnsafeCreateTensor(slot);
    }

    static void CheckBatchNorm(Tensor input, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar, bool training, double eps)
    {
        if (input.Dimensions < 2)
            throw new ReproException($"ATenOps.BatchNorm: input has shape [{string.Join(", ", input.shape)}]; it needs at least 2 dimensions, [batch, channels, ...].");
        if (!input.is_floating_point())
            throw new ReproException($"ATenOps.BatchNorm: input is {input.dtype}; batch norm needs a floating-point input.");
        if (!(eps > 0) || double.IsInfinity(eps))
            throw new ReproException($"ATenOps.BatchNorm: eps={eps} must be a positive number (1e-5 is the usual value).");
        var channels = input.shape[1];
        foreach (var (name, tensor) in new[] { ("weight", weight), ("bias", bias), ("runningMean", runningMean), ("runningVar", runningVar) })
        {
            if (tensor is null) continue;
            if (tensor.Dimensions != 1 || tensor.shape[0] != channels)
                throw new ReproException($"ATenOps.BatchNorm: {name} has shape [{string.Join(", ", tensor.shape)}]; it must be [{channels}], one value per channel of the input.");
            if (tensor.dtype != input.dtype)
                throw new ReproException($"ATenOps.BatchNorm: {name} is {tensor.dtype} but the input is {input.dtype}; give them one dtype.");
            if (tensor.device_type != input.device_type || tensor.device_index != input.device_index)
                throw new ReproException($"ATenOps.BatchNorm: {name} is on {tensor.device} but the input is on {input.device}; move them to one device.");
        }
        if ((runningMean is null) != (runningVar is null))
            throw new ReproException("ATenOps.BatchNorm: give both running statistics or neither.");
        if (!training && runningMean is null)
            throw new ReproException("ATenOps.BatchNorm: evaluation (training = false) normalises with the running statistics; give runningMean and runningVar.");
        if (training && input.numel() / Math.Max(channels, 1) <= 1)
            throw new ReproException($"ATenOps.BatchNorm: input of shape [{string.Join(", ", input.shape)}] has one value per channel; training needs more than one to compute a variance.");
    }

    /// <summary>
    /// <c>at::_fused_adamw_</c> (what <c>torch.optim.AdamW(fused=True)</c> calls) over tensor lists of one device
    /// and dtype, with one step-count tensor shared by all (read, not incremented), amsgrad and maximize off, no
    /// grad scaling. One kernel per element, no reduction across elements: deterministic, but rounded
    /// differently from the op-by-op update.
    /// </summary>
    internal static void FusedAdamW(Tensor[] parameters, Tensor[] grads, Tensor[] expAvgs, Tensor[] expAvgSqs, Tensor step,
        double learningRate, double beta1, double beta2, double weightDecay, double eps)
    {
        CheckFusedAdamW(parameters, grads, expAvgs, expAvgSqs, step);
        var n = parameters.Length;
        var impls = new IntPtr[5 * n];
        for (var i = 0; i < n; i++)
        {
            impls[i] = Impl(parameters[i]);
            impls[n + i] = Impl(grads[i]);
            impls[2 * n + i] = Impl(expAvgs[i]);
            impls[3 * n + i] = Impl(expAvgSqs[i]);
            impls[4 * n + i] = Impl(step);
        }
        var call = (delegate* unmanaged<TensorList, TensorList, TensorList, TensorList, TensorList, TensorList, double, double, double, double, double, byte, byte, OptionalTensor*, OptionalTensor*, void>)FusedAdamWExport;
        var none = default(OptionalTensor);
        fixed (IntPtr* p = impls)
        {
            var length = (nuint)n;
            call(new TensorList(p, length), new TensorList(p + n, length), new TensorList(p + 2 * n, length), new TensorList(p + 3 * n, length),
                new TensorList(null, 0), new TensorList(p + 4 * n, length),
                learningRate, beta1, beta2, weightDecay, eps, 0, 0, &none, &none);
        }
        GC.KeepAlive(parameters); GC.KeepAlive(grads); GC.KeepAlive(expAvgs); GC.KeepAlive(expAvgSqs); GC.KeepAlive(step);
    }

    static void CheckFusedAdamW(Tensor[] parameters, Tensor[] grads, Tensor[] expAvgs, Tensor[] expAvgSqs, Tensor step)
    {
        var n = parameters.Length;
        if (n == 0 || grads.Length != n || expAvgs.Length != n || expAvgSqs.Length != n)
            throw new ReproException($"Fused AdamW needs one gradient and two moments per parameter (got {n} parameters, {grads.Length} gradients, {expAvgs.Length} and {expAvgSqs.Length} moments).");
        var first = parameters[0];
        if (!first.is_floating_point())
            throw new ReproException($"Fused AdamW updates floating-point parameters; the first is {first.dtype}.");
        if (step.dtype != ScalarType.Float32 || step.numel() != 1 || step.device_type != first.device_type || step.device_index != first.device_index)
            throw new ReproException($"Fused AdamW's step count must be one float32 value on {first.device} (got {step.dtype} [{string.Join(", ", step.shape)}] on {step.device}).");
        foreach (var list in new[] { parameters, grads, expAvgs, expAvgSqs })
            for (var i = 0; i < n; i++)
            {
                var t = list[i];
                if (t.dtype != first.dtype || t.device_type != first.device_type || t.device_index != first.device_index)
                    throw new ReproException($"Fused AdamW runs on one device and dtype; tensor {i} is {t.dtype} on {t.device}, the first parameter {first.dtype} on {first.device}. " +
                        "Use the reference kernel for mixed models.");
                if (!t.shape.SequenceEqual(parameters[i].shape) || !t.is_contiguous())
                    throw new ReproException("Fused AdamW needs contiguous tensors shaped like their parameter; " +
                        $"tensor {i} is [{string.Join(", ", t.shape)}]{(t.is_contiguous() ? "" : " and not contiguous")}, its parameter [{string.Join(", ", parameters[i].shape)}].");
            }
    }

    static IntPtr Impl(Tensor tensor) => *(IntPtr*)tensor.Handle;

    static IntPtr _batchNorm;
    static IntPtr _fusedAdamW;
    static IntPtr _operatorNew;

    static IntPtr FusedAdamWExport => _fusedAdamW != IntPtr.Zero ? _fusedAdamW
        : _fusedAdamW = ATenContext.Export("_ZN2at4_ops13_fused_adamw_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_");

    // c10::ArrayRef<at::Tensor>, passed by value: a pointer to at::Tensors (TensorImpl pointers) and a count.
    [StructLayout(LayoutKind.Sequential)]
    readonly struct TensorList(IntPtr* data, nuint length)
    {
        readonly IntPtr* _data = data;
        readonly nuint _length = length;
    }

    static IntPtr BatchNormExport => _batchNorm != IntPtr.Zero ? _batchNorm
        : _batchNorm = ATenContext.Export("_ZN2at4_ops10batch_norm4callERKNS_6TensorERKSt8optionalIS2_ES8_S8_S8_bddb");

    // operator new(size_t) of the C++ runtime libtorch uses (found through libtorch's own dependencies),
    // so that TorchSharp's delete of the handle frees it with the matching allocator.
    static IntPtr OperatorNew => _operatorNew != IntPtr.Zero ? _operatorNew : _operatorNew = ATenContext.Export("_Znwm");

    // std::optional<at::Tensor> as libstdc++ lays it out: the at::Tensor (one TensorImpl pointer), then the
    // engaged flag, padded to 16 bytes. Borrowed: libtorch takes it by const reference and never releases it.
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    struct OptionalTensor
    {
        IntPtr _impl;
        byte _engaged;

        internal static OptionalTensor Of(Tensor? tensor) =>
            tensor is null ? default : new OptionalTensor { _impl = *(IntPtr*)tensor.Handle, _engaged = 1 };
    }
}
