namespace Repro.DualTask;

/// <summary>The three splits the DualTask trainer consumes.</summary>
/// <param name="Train">Every window of the training units.</param>
/// <param name="Validation">Every window of the held-out units, for early stopping.</param>
/// <param name="Test">The last window of each test unit, labelled with its true RUL.</param>
public sealed record PreparedData(WindowSet Train, WindowSet Validation, WindowSet Test)
{
    /// <summary>One hash over all three splits, for the training fingerprint.</summary>
    public string ContentHash()
    {
        var hasher = new ContentHasher();
        Train.AppendTo(hasher);
        Validation.AppendTo(hasher);
        Test.AppendTo(hasher);
        return hasher.Finish();
    }
}
