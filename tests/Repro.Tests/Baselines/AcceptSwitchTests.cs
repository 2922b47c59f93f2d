using Xunit;

namespace Repro.Tests.Baselines;

public sealed class AcceptSwitchTests
{
    static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Accept_is_off_unless_asked_for()
    {
        Assert.False(AcceptSwitch.IsOn(Env()));
        Assert.False(AcceptSwitch.IsOn(Env(("REPRO_ACCEPT", "false"))));
        Assert.True(AcceptSwitch.IsOn(Env(("REPRO_ACCEPT", "true"))));
        Assert.True(AcceptSwitch.IsOn(Env(("REPRO_ACCEPT", "1"))));
    }

    [Theory]
    [InlineData("CI", "true")]
    [InlineData("GITHUB_ACTIONS", "true")]
    [InlineData("TF_BUILD", "True")]
    [InlineData("JENKINS_URL", "http://jenkins")]
    public void Accept_on_CI_is_refused_with_a_message(string variable, string value)
    {
        var error = Assert.Throws<ReproException>(() => AcceptSwitch.IsOn(Env(("REPRO_ACCEPT", "true"), (variable, value))));
        Assert.Contains(variable, error.Message);
        Assert.Contains("refused", error.Message);
    }

    [Fact]
    public void CI_set_to_false_is_not_CI()
    {
        Assert.Null(CiDetector.Detect(Env(("CI", "false"))));
        Assert.Equal("CI=1", CiDetector.Detect(Env(("CI", "1"))));
    }
}
