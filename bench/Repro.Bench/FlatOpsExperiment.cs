using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Bench;

// Does moving a tensor inside one flat buffer move its bits? Applies each element-wise op of
// ReproAdamW's step (and the EMA update) to every tensor on its own and to the same values packed
// into one buffer, and counts the elements whose bits differ, split by where they sit: in the
// tensor's tail (the last n mod 16 elements, which a per-tensor ATen CPU loop runs through its
// scalar path) or in the body.
internal static class FlatOpsExperiment
{
    const double Lr = 1e-3, Wd = 1e-4, B1 = 0.9, B2 = 0.999, Eps = 1e-8, Decay = 0.999;

    internal static void Run(IReadOnlyList<long[]> shapes, Device device, int alignElements)
    {
        // Every tensor lives in this scope until the end: no temporary is left to the finalizer thread
        // (a run of this experiment once crashed in flatten() on a freed tensor while finalizers ran).
        using var experiment = NewDisposeScope();
        var generator = new Generator(5);
        var sizes = shapes.Select(s => s.Aggregate(1L, (a, b) => a * b)).ToArray();
        var offsets = new long[sizes.Length];
        long total = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            offsets[i] = total;
            total += (sizes[i] + alignElements - 1) / alignElements * alignElements;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per-op bit comparison on {device.type} (ATen CPU capability {Repro.Native.ATenContext.CpuCapability}): {sizes.Length} tensors, {sizes.Sum():N0} elements, " +
                $"flat buffer {total:N0} elements (offsets aligned to {alignElements}), {get_num_threads()} threads"));

        // Realistic magnitudes: weights ~0.1, gradients ~1e-2, second moments ~g^2.
        Tensor[] Make(double scale, bool positive = false) =>
        [
            .. shapes.Select(s =>
            {
                var t = randn(s, generator: generator) * scale;
                return (positive ? t.abs() : t).to(device);
            }),
        ];
        var param = Make(0.1);
        var grad = Make(1e-2);
        var expAvg = Make(1e-3);
        var expAvgSq = Make(1e-4, positive: true);
        var shadow = Make(0.1);

        var step = 7;
        var bc1 = 1 - Math.Pow(B1, step);
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(B2, step));
        var stepSize = Lr / bc1;

        (string Name, Func<Tensor[], Tensor> Op, int Target)[] ops =
        [
            ("param.mul_(1 - lr*wd)", t => t[0].mul_(1 - Lr * Wd), 0),
            ("exp_avg.lerp_(grad, 1 - beta1)", t => t[2].lerp_(t[1], 1 - B1), 2),
            ("exp_avg_sq.mul_(beta2)", t => t[3].mul_(B2), 3),
            ("exp_avg_sq.addcmul_(grad, grad, 1 - beta2)", t => t[3].addcmul_(t[1], t[1], 1 - B2), 3),
            ("denom = (exp_avg_sq.sqrt() / bc2).add_(eps)", t => t[5].copy_((t[3].sqrt() / bc2Sqrt).add_(Eps)), 5),
            ("param.addcdiv_(exp_avg, denom, -step_size)", t => t[0].addcdiv_(t[2], t[5], -stepSize), 0),
            ("ema.lerp_(param, 1 - decay)", t => t[4].lerp_(t[0], 1 - Decay), 4),
            // Controls, not part of the step: ops whose vectorised body and scalar tail round differently
            // (Sleef vs libm), to show that the comparison does see a tail that moves.
            ("control: grad.abs_().pow_(1.7) (not in the step)", t => t[1].abs_().pow_(1.7), 1),
            ("control: softplus(100 grad) (not in the step)", t => t[1].copy_(nn.functional.softplus(t[1].mul(100))), 1),
        ];

        // Per tensor: every op on separately allocated tensors. Flat: the same values in one buffer.
        var separate = new[] { param, grad, expAvg, expAvgSq, shadow }.Select(set => set.Select(t => t.clone()).ToArray()).ToList();
        separate.Add([.. param.Select(t => zeros_like(t))]);
        var flat = new[] { param, grad, expAvg, expAvgSq, shadow }.Select(set => Pack(set, offsets, total, device)).ToList();
        flat.Add(zeros(total, device: device));

        Console.WriteLine($"{"op",-46} {"differing elements",20} {"in tails",10} {"in bodies",10}");
        foreach (var (name, op, target) in ops)
        {
            using (no_grad())
            {
                for (var i = 0; i < sizes.Length; i++) op([.. separate.Select(set => set[i])]);
                op([.. flat]);
            }
            var (differ, tails, bodies) = Compare(separate[target], flat[target], offsets, sizes);
            Console.WriteLine($"{name,-46} {differ,20:N0} {tails,10:N0} {bodies,10:N0}");
            // Continue from identical state so that each op is judged on its own.
            using (no_grad())
                for (var i = 0; i < sizes.Length; i++) flat[target].narrow(0, offsets[i], sizes[i]).copy_(separate[target][i].flatten());
        }
    }

    static Tensor Pack(Tensor[] tensors, long[] offsets, long total, Device device)
    {
        var flat = zeros(total, device: device);
        using var noGrad = no_grad();
        for (var i = 0; i < tensors.Length; i++) flat.narrow(0, offsets[i], tensors[i].NumberOfElements).copy_(tensors[i].flatten());
        return flat;
    }

    static (long Differ, long Tails, long Bodies) Compare(Tensor[] separate, Tensor flat, long[] offsets, long[] sizes)
    {
        long differ = 0, tails = 0, bodies = 0;
        var host = flat.cpu();
        var all = host.data<float>().ToArray();
        for (var i = 0; i < separate.Length; i++)
        {
            var mine = separate[i].cpu().flatten().data<float>().ToArray();
            var tailStart = sizes[i] - sizes[i] % 16;
            for (long j = 0; j < sizes[i]; j++)
            {
                if (BitConverter.SingleToInt32Bits(mine[j]) == BitConverter.SingleToInt32Bits(all[offsets[i] + j])) continue;
                differ++;
                if (j >= tailStart) tails++;
                else bodies++;
            }
        }
        return (differ, tails, bodies);
    }
}
