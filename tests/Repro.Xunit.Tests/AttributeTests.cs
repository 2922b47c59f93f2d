using Repro.Xunit;
using Xunit;
using Xunit.v3;

namespace Repro.Xunit.Tests;

// The attributes' contract as seen by xunit: traits for --filter, and a skip reason on CPU machines.
public sealed class AttributeTests
{
    static KeyValuePair<string, string> Category(string value) => new("Category", value);

    [Fact]
    public void Gpu_attributes_carry_category_gpu()
    {
        Assert.Equal([Category("GPU")], new GpuFactAttribute().GetTraits());
        Assert.Equal([Category("GPU")], new GpuTheoryAttribute().GetTraits());
    }

    [Fact]
    public void Cpu_attributes_carry_category_cpu_and_never_skip()
    {
        var fact = new CpuFactAttribute();
        Assert.Equal([Category("CPU")], fact.GetTraits());
        Assert.Null(fact.Skip);
        Assert.Equal([Category("CPU")], new CpuTheoryAttribute().GetTraits());
    }

    [Fact]
    public void Attributes_forward_the_caller_location_to_xunit()
    {
        var fact = new GpuFactAttribute();
        Assert.EndsWith("AttributeTests.cs", fact.SourceFilePath);
        Assert.True(fact.SourceLineNumber > 0);
    }

    [Fact]
    public void Without_a_gpu_the_gpu_attributes_skip_with_a_reason()
    {
        Assert.SkipWhen(GpuAvailability.IsAvailable, "this machine has a usable GPU");
        var reason = GpuAvailability.SkipReason;
        Assert.NotNull(reason);
        Assert.StartsWith("No CUDA GPU: ", reason);
        Assert.Contains("README 'GPU'", reason);
        var fact = new GpuFactAttribute();
        Assert.NotNull(fact.Skip);
        Assert.StartsWith("No CUDA GPU: ", fact.Skip);
        Assert.StartsWith("No CUDA GPU: ", new GpuTheoryAttribute().Skip);
    }

    // xunit reads SkipUnless by reflection: the name must exist as a public static bool property.
    [Fact]
    public void Runtime_skip_property_is_reachable_by_xunit()
    {
        var property = typeof(GpuAvailability).GetProperty(nameof(GpuAvailability.IsAvailable), System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static);
        Assert.NotNull(property);
        Assert.Equal(typeof(bool), property.PropertyType);
    }
}
