using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Flat;

// The DualTask model trained for a few steps with ReproAdamW and the EMA in a given layout, from
// the same initial weights, batches and dropout masks: what a flat layout must not change.
internal static class FlatTraining
{
    internal sealed record Result(List<byte[]> Parameters, List<byte[]> Moments, List<byte[]> Shadow, List<byte[]> Gradients, bool WasFlat);

    internal static Result Train(DualTaskModelConfig config, Device device, ParameterLayout layout, int steps = 4, Action<DualTaskModel>? beforeStep = null)
    {
        using var guard = TrainingGuard.Enter($"FlatTraining {layout} on {device.type}");
        using var scope = NewDisposeScope();
        Repro.Advanced.Determinism.Reseed(42);
        using var model = new DualTaskModel(config);
        model.to(device);
        model.train();
        var parameters = model.named_parameters().Select(p => (p.name, p.parameter)).ToArray();
        using var optimizer = new ReproAdamW(parameters, 1e-3, 1e-4, layout);
        using var ema = optimizer.Flat is { } flat ? new ExponentialMovingAverage(flat, 0.9) : new ExponentialMovingAverage(parameters.Select(p => p.parameter), 0.9);
        var generator = new Generator(3);
        Repro.Advanced.Determinism.Reseed(7);
        for (var step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var inputs = randn([32, 30, config.InputSize], generator: generator).to(device);
            var rul = (rand([32], generator: generator) * 125).to(device);
            var health = randint(0, config.HealthClasses, [32], generator: generator).to(device);
            var (predicted, logits) = model.call(inputs);
            var (total, _, _) = AmnlLoss.Compute(predicted, rul, logits, health);
            total.backward();
            beforeStep?.Invoke(model);
            optimizer.step();
            if (step < steps - 1) optimizer.zero_grad();
            ema.Update();
        }
        return new Result(
            Bytes(parameters.Select(p => (Tensor)p.parameter)),
            Bytes(optimizer.State().Select(s => s.Tensor)),
            Bytes(ema.Shadow),
            Bytes(parameters.Select(p => p.parameter.grad!)),
            optimizer.Flat is not null);
    }

    static List<byte[]> Bytes(IEnumerable<Tensor> tensors) => [.. tensors.Select(t => t.detach().cpu().contiguous().bytes.ToArray())];
}
