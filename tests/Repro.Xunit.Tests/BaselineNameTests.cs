using Repro.Xunit;
using Xunit;

namespace Repro.Xunit.Tests;

// A theory's data rows each get a baseline of their own, named after their arguments, with no
// hand-written name; characters a baseline name cannot hold become '-'.
public sealed class BaselineNameTests
{
    [Fact]
    public void A_fact_names_its_baseline_TestClass_TestMethod() =>
        Assert.Equal("BaselineNameTests.A_fact_names_its_baseline_TestClass_TestMethod", BaselineName.Current());

    [Theory]
    [InlineData(0.001, "cpu")]
    [InlineData(2.5e-7, "a b/c\"d")]
    public void A_theory_appends_its_arguments(double rate, string device)
    {
        var expected = "BaselineNameTests.A_theory_appends_its_arguments_" +
            (rate == 0.001 ? "0.001" : "2.5E-07") + "_" + (device == "cpu" ? "cpu" : "a-b-c-d");

        var name = BaselineName.Current();

        Assert.Equal(expected, name);
        Assert.Equal(name, BaselineStore.CheckTestName(name));
    }
}
