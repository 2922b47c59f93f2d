using Xunit;

namespace Repro.Xunit;

// Shared by [GpuFact] and [GpuTheory]: a reason known at discovery is a plain Skip; otherwise xunit
// asks GpuAvailability.IsAvailable when the test is about to run.
internal static class GpuSkip
{
    internal static void Configure(FactAttribute attribute)
    {
        if (GpuAvailability.DiscoveryReason is { } reason)
        {
            attribute.Skip = reason;
            return;
        }
        attribute.Skip = GpuAvailability.RuntimeCheckFailed;
        attribute.SkipUnless = nameof(GpuAvailability.IsAvailable);
        attribute.SkipType = typeof(GpuAvailability);
    }
}
