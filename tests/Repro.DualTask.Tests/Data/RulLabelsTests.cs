using Xunit;

namespace Repro.DualTask.Tests.Data;

public class RulLabelsTests
{
    [Fact]
    public void The_rul_target_is_linear_up_to_the_cap_and_flat_after()
    {
        for (var rul = 0; rul <= 400; rul++)
            Assert.Equal(rul <= 125 ? rul : 125, RulLabels.Capped(rul, RulLabels.DefaultCap));
        Assert.Equal(50, RulLabels.Capped(80, 50));
    }

    [Theory]
    [InlineData(300, HealthState.Healthy)]
    [InlineData(81, HealthState.Healthy)]
    [InlineData(80, HealthState.Degrading)]
    [InlineData(30, HealthState.Degrading)]
    [InlineData(29, HealthState.Critical)]
    [InlineData(0, HealthState.Critical)]
    public void Health_classes_follow_the_chapter_thresholds(int rul, HealthState expected) =>
        Assert.Equal(expected, RulLabels.HealthClass(rul));

    [Fact]
    public void Health_classes_are_ordered_healthy_degrading_critical_as_rul_falls()
    {
        var classes = Enumerable.Range(0, 200).Reverse().Select(r => (int)RulLabels.HealthClass(r)).ToArray();
        Assert.Equal(classes.Order(), classes);
        Assert.Equal([0, 1, 2], classes.Distinct());
    }

    [Fact]
    public void A_negative_rul_is_rejected()
    {
        Assert.Throws<ReproException>(() => RulLabels.HealthClass(-1));
        Assert.Throws<ReproException>(() => RulLabels.Capped(-1, 125));
    }
}
