namespace QuickStart;

public sealed class ShapesTests
{
    [Fact]
    public Task Training_reproduces() => Baseline.VerifyAsync<ShapesCheck>();

    // Interrupted after step 2 of epoch 2, resumed in a fresh process: bit for bit the uninterrupted run.
    [Fact]
    public Task Training_resumes_mid_epoch() => Baseline.VerifyResumedAsync<ShapesCheck>(CheckpointPosition.AfterStep(2, 2));
}
