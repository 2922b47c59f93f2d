using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Bench;

// One model, optimizer and fixed batch on a device; Steps(n) runs n full training steps (forward,
// AMNL loss, backward, AdamW, and the weights' EMA when asked) and returns the synchronised wall
// time in milliseconds.
internal sealed class StepBench : IDisposable
{
    readonly DualTaskModel _model;
    readonly ReproAdamW _optimizer;
    readonly ExponentialMovingAverage? _ema;
    readonly Tensor _inputs, _rul, _health;
    readonly Device _device;
    readonly CapturedStep _step;

    internal StepBench(DualTaskModelConfig config, int batch, int window, Device device, ParameterLayout layout = ParameterLayout.Auto, bool ema = false, AdamWKernel kernel = AdamWKernel.Reference, StepCapture capture = StepCapture.Eager)
    {
        _device = device;
        Determinism.Reseed(42);
        _model = new DualTaskModel(config);
        _model.to(device);
        _model.train();
        var parameters = _model.named_parameters().Select(p => (p.name, p.parameter)).ToArray();
        _optimizer = new ReproAdamW(parameters, 1e-3, 1e-4, layout, kernel);
        if (ema) _ema = _optimizer.Flat is { } flat ? new ExponentialMovingAverage(flat, 0.999) : new ExponentialMovingAverage(parameters.Select(p => p.parameter), 0.999);
        var generator = new Generator(3);
        _inputs = randn([batch, window, config.InputSize], generator: generator).to(device).DetachFromDisposeScope();
        _rul = (rand([batch], generator: generator) * 125).to(device).DetachFromDisposeScope();
        _health = randint(0, 3, [batch], generator: generator).to(device).DetachFromDisposeScope();
        _step = new CapturedStep(_model, ForwardBackward, capture);
    }

    IReadOnlyList<Tensor> ForwardBackward(IReadOnlyList<Tensor> batch)
    {
        var (rul, health) = _model.call(batch[0]);
        var (total, _, _) = AmnlLoss.Compute(rul, batch[1], health, batch[2]);
        total.backward();
        return [total];
    }

    internal double Steps(int count)
    {
        Synchronize();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            _step.Run(_inputs, _rul, _health);
            _optimizer.step();
            _optimizer.zero_grad();
            _ema?.Update();
        }
        Synchronize();
        return watch.Elapsed.TotalMilliseconds;
    }

    internal ReproAdamW Optimizer => _optimizer;

    internal DualTaskModel Model => _model;

    internal ExponentialMovingAverage? Ema => _ema;

    // The optimizer's share of a step alone: step, zero-grad and EMA update, after one backward pass
    // (later steps see zeroed gradients: the same kernels, the same work).
    internal double UpdateSteps(int count)
    {
        using (var scope = NewDisposeScope())
        {
            var (rul, health) = _model.call(_inputs);
            AmnlLoss.Compute(rul, _rul, health, _health).Total.backward();
        }
        Synchronize();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            _optimizer.step();
            _optimizer.zero_grad();
            _ema?.Update();
        }
        Synchronize();
        return watch.Elapsed.TotalMilliseconds;
    }

    void Synchronize()
    {
        if (_device.type == DeviceType.CUDA) cuda.synchronize();
    }

    internal CapturedStep Step => _step;

    public void Dispose()
    {
        _step.Dispose();
        _ema?.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
        _inputs.Dispose(); _rul.Dispose(); _health.Dispose();
    }
}
