using Xunit;

namespace Repro.Tests.Support;

// What a verdict on numbers that do not reproduce must never print: a way to accept them.
internal static class AcceptAdvice
{
    internal static void AssertNone(string text)
    {
        Assert.DoesNotContain("approve", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("accept it", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("To accept these numbers", text, StringComparison.Ordinal);
    }
}
