using Repro.Cli;
using Xunit;

namespace Repro.Cli.Tests;

// The live label must never be wider than the room beside the bar: Spectre replaces an over-wide
// progress row with a bare "…", which is what an 80-column terminal showed before.
public sealed class ProgressLabelTests
{
    static readonly EpochRecord Epoch = DualTaskRuns.Epoch(2, 5402.82639, 5401.7526, 1.07378, 79.647, 1234.5, 0.362, "abc");

    [Theory]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(160)]
    [InlineData(250)]
    public void Label_and_bar_fit_the_terminal(int width)
    {
        var label = ProgressLabel.For("dualtask-small (re-run)", 3, 10, Epoch, width);

        Assert.True(label.Length + ProgressLabel.BarWidth(width) + ProgressLabel.FixedColumns < width, $"{label.Length} + bar at width {width}: {label}");
    }

    [Fact]
    public void Wide_terminals_show_the_first_four_metrics_and_narrow_ones_keep_the_first()
    {
        var wide = ProgressLabel.For("dualtask-small", 3, 10, Epoch, 160);
        var narrow = ProgressLabel.For("dualtask-small", 3, 10, Epoch, 80);

        Assert.Equal("dualtask-small epoch 3/10 | totalLoss 5402.83 rulLoss 5401.75 healthLoss 1.07378 validationRmse 79.647", wide);
        Assert.StartsWith("dualtask-small epoch 3/10 | totalLoss 5402.83", narrow);
        Assert.DoesNotContain("healthLoss", narrow);
    }

    [Fact]
    public void Before_the_first_epoch_ends_the_label_names_the_run_and_epoch() =>
        Assert.Equal("dualtask-chapter epoch 1/5", ProgressLabel.For("dualtask-chapter", 1, 5, null, 160));
}
