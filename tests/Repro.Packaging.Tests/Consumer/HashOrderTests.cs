namespace QuickStart;

public sealed class HashOrderTests
{
    [Fact]
    public Task Training_reproduces() => Baseline.VerifyAsync<HashOrderCheck>();
}
