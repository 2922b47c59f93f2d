using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Tests.Support.Causes;

// A user's check, written only against Repro's public API, the way a small project would write it:
// "units" of rows loaded one by one, per-feature statistics, normalisation, an MLP with BatchNorm and
// dropout trained with ReproAdamW, and a validation loss per epoch. It is clean; every cause
// of the doctor's catalogue derives from it and rewrites the one method where that mistake lives in
// real code, so the doctor sees each cause as it would in a user's project. Public with a
// parameterless constructor (as are the causes) so the CLI's 'run --assembly --check' can rebuild it
// in the doctor's second process.
public class RegressionCheck : TrainingCheck
{
    protected const int Features = 4;
    protected const int Units = 8;
    protected const int RowsPerUnit = 64;
    const int ValidationUnits = 2;
    const int BatchSize = 32;

    Tensor? _trainInputs, _trainTargets, _validationInputs, _validationTargets;
    int _trainRows;

    public override int Epochs => 2;

    /// <summary>Where it trains: the CPU unless a GPU test asks for CUDA.</summary>
    public DeviceRequest Device { get; init; } = DeviceRequest.Cpu;

    public override DeterminismOptions Determinism => new() { Device = Device };

    /// <summary>One raw unit: <see cref="RowsPerUnit"/> rows of <see cref="Features"/> inputs and a target.</summary>
    protected sealed record Unit(string Name, float[] Rows);

    protected internal override string? PrepareData(TrainingContext context)
    {
        var units = LoadUnits(context);
        var hasher = new ContentHasher();
        foreach (var unit in units) hasher.Add(unit.Rows);
        if (RecordsDataStages) context.RecordData("units", units.Select(u => u.Rows));
        var statistics = FeatureStatistics(units.Take(units.Count - ValidationUnits).ToList());
        if (RecordsDataStages) context.RecordData("statistics", statistics);
        var (trainX, trainY) = Normalise(units.Take(units.Count - ValidationUnits), statistics);
        var (validX, validY) = Normalise(units.Skip(units.Count - ValidationUnits), statistics);
        if (RecordsDataStages) context.RecordData("train-inputs", trainX);
        hasher.Add(statistics);
        hasher.Add(trainX);
        _trainRows = trainY.Length;
        _trainInputs = tensor(trainX, [_trainRows, Features]).to(context.Device);
        _trainTargets = tensor(trainY, [_trainRows, 1]).to(context.Device);
        _validationInputs = tensor(validX, [validY.Length, Features]).to(context.Device);
        _validationTargets = tensor(validY, [validY.Length, 1]).to(context.Device);
        return hasher.Finish();
    }

    /// <summary>Whether the data stages are recorded (a user's check may record none).</summary>
    protected virtual bool RecordsDataStages => true;

    /// <summary>Loads every unit, in unit order; each is generated from its own seeded stream.</summary>
    protected virtual IReadOnlyList<Unit> LoadUnits(TrainingContext context) =>
        [.. Enumerable.Range(1, Units).Select(u => GenerateUnit(context, u))];

    protected static Unit GenerateUnit(TrainingContext context, int unit)
    {
        var random = context.Random($"unit-{unit}");
        var rows = new float[RowsPerUnit * (Features + 1)];
        for (var r = 0; r < RowsPerUnit; r++)
        {
            var row = rows.AsSpan(r * (Features + 1), Features + 1);
            for (var f = 0; f < Features; f++) row[f] = (float)(random.NextGaussian() * (f + 1) + 3 * f);
            row[Features] = 0.5f * row[0] - 0.2f * row[1] + 0.1f * row[2] * row[3] / 10f;
        }
        return new Unit($"unit-{unit:D3}", rows);
    }

    /// <summary>Mean and standard deviation of each feature over the training rows (mean 0..3, then std 0..3).</summary>
    protected virtual float[] FeatureStatistics(IReadOnlyList<Unit> units)
    {
        var statistics = new float[2 * Features];
        for (var f = 0; f < Features; f++)
        {
            var values = Column(units, f);
            (statistics[f], statistics[Features + f]) = Moments(values);
        }
        return statistics;
    }

    // Mean and population standard deviation, summed in the order the values come in.
    protected static (float Mean, float Std) Moments(float[] values)
    {
        var mean = 0f;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        var variance = 0f;
        foreach (var v in values) variance += (v - mean) * (v - mean);
        return (mean, MathF.Sqrt(variance / values.Length));
    }

    protected static float[] Column(IReadOnlyList<Unit> units, int feature) =>
        [.. units.SelectMany(u => Enumerable.Range(0, RowsPerUnit).Select(r => u.Rows[r * (Features + 1) + feature]))];

    static (float[] Inputs, float[] Targets) Normalise(IEnumerable<Unit> units, float[] statistics)
    {
        var inputs = new List<float>();
        var targets = new List<float>();
        foreach (var unit in units)
            for (var r = 0; r < RowsPerUnit; r++)
            {
                for (var f = 0; f < Features; f++)
                    inputs.Add((unit.Rows[r * (Features + 1) + f] - statistics[f]) / statistics[Features + f]);
                targets.Add(unit.Rows[r * (Features + 1) + Features]);
            }
        return ([.. inputs], [.. targets]);
    }

    protected internal override nn.Module CreateModel(TrainingContext context) => new Mlp(ExtraLayer());

    /// <summary>A layer between the activation and dropout; none in the clean check.</summary>
    protected virtual nn.Module<Tensor, Tensor>? ExtraLayer() => null;

    // Repro's AdamW (no weight decay: Adam's update): TorchSharp's Adam takes a vendor-dependent square root on
    // the CPU, which the doctor names (vendor-dependent-optimizer), so the clean check would not be clean.
    protected internal override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context) => new ReproAdamW(model, 0.01, weightDecay: 0);

    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        var model = context.Training.Model;
        model.train();
        var order = EpochOrder(context, _trainRows);
        var total = 0.0;
        var batches = 0;
        foreach (var batch in context.Steps(StepBatches(order), b => b))
        {
            using var scope = NewDisposeScope();
            var index = tensor(batch.ToArray(), dtype: ScalarType.Int64, device: context.Training.Device);
            var inputs = PrepareBatch(_trainInputs!.index_select(0, index), context);
            var loss = Loss(((nn.Module<Tensor, Tensor>)model).call(inputs), _trainTargets!.index_select(0, index));
            loss.backward();
            context.Update();
            total += loss.item<float>();
            batches++;
        }
        return new Metrics { ["loss"] = total / batches, ["validationLoss"] = Validate(context) };
    }

    /// <summary>The epoch's batches in the order they are trained: the order's consecutive slices.</summary>
    protected virtual IEnumerable<ArraySegment<int>> StepBatches(int[] order) => Repro.Advanced.EpochOrder.Split(order, BatchSize, dropLast: true);

    /// <summary>The training loss of one batch.</summary>
    protected virtual Tensor Loss(Tensor predicted, Tensor target) => functional.mse_loss(predicted, target);

    /// <summary>This epoch's sample order.</summary>
    protected virtual int[] EpochOrder(EpochContext context, int count) => context.Order(count);

    /// <summary>Batch preparation (augmentation); none in the clean check.</summary>
    protected virtual Tensor PrepareBatch(Tensor inputs, EpochContext context) => inputs;

    /// <summary>The validation loss with the current weights.</summary>
    protected virtual double Validate(EpochContext context)
    {
        var model = (nn.Module<Tensor, Tensor>)context.Training.Model;
        model.eval();
        using var noGrad = no_grad();
        using var loss = functional.mse_loss(model.call(_validationInputs!), _validationTargets!);
        model.train();
        return loss.item<float>();
    }

    protected override void Dispose(bool disposing)
    {
        _trainInputs?.Dispose();
        _trainTargets?.Dispose();
        _validationInputs?.Dispose();
        _validationTargets?.Dispose();
    }

    sealed class Mlp : Module<Tensor, Tensor>
    {
        readonly Sequential block;
        readonly Linear head;

        public Mlp(nn.Module<Tensor, Tensor>? extra) : base(nameof(Mlp))
        {
            block = extra is null
                ? Sequential(("fc", Linear(Features, 16)), ("norm", BatchNorm1d(16)), ("act", ReLU()), ("drop", Dropout(0.1)))
                : Sequential(("fc", Linear(Features, 16)), ("norm", BatchNorm1d(16)), ("act", ReLU()), ("extra", extra), ("drop", Dropout(0.1)));
            head = Linear(16, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => head.call(block.call(input));
    }
}
