namespace Repro;

/// <summary>A finished training: its fingerprint, and the trained model for export or inspection.</summary>
public sealed class TrainingRun : IDisposable
{
    internal TrainingRun(TrainingFingerprint fingerprint, DualTaskModel model, PreparedData data)
    {
        Fingerprint = fingerprint;
        Model = model;
        Data = data;
    }

    public TrainingFingerprint Fingerprint { get; }
    public DualTaskModel Model { get; }
    public PreparedData Data { get; }

    public void Dispose() => Model.Dispose();
}
