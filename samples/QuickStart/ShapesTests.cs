using Repro.Xunit;
using Xunit;

namespace QuickStart;

[Collection(ReproCollection.Name)]
public sealed class ShapesTests
{
    [Fact]
    public Task Training_reproduces() => Baseline.VerifyAsync<ShapesCheck>();
}
