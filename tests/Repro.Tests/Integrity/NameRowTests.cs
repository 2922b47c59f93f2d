using Repro.Reports;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Integrity;

// Issue 26 rows 10 and 11: names outside the documented character set are refused (before training,
// --validate-only included), and what is printed or put into Markdown is escaped.
[Collection(ReproCollection.Name)]
public sealed class NameRowTests
{
    [Theory]
    [InlineData("bad\nname")]
    [InlineData("bad\u001b[31mname")]
    [InlineData("bad\u202ename")]
    public void Row_10_a_test_name_with_a_newline_escape_or_bidi_override_is_refused_and_shown_escaped(string name)
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();

        var result = CliRun.Invoke("approve", "--key", BaselineFiles.Key, "--test", name, "--snapshots", workspace.Snapshots);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("cannot name a baseline", result.Error);
        Assert.DoesNotContain(name, result.Error);
        Assert.DoesNotContain('\u001b', result.Error + result.Out);
        Assert.DoesNotContain('\u202e', result.Error + result.Out);
        Assert.False(Directory.Exists(workspace.Snapshots) && Directory.EnumerateFileSystemEntries(workspace.Snapshots, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void Row_10_origin_fields_with_terminal_sequences_or_html_are_escaped_in_the_markdown_summary()
    {
        var hostile = "<img src=x onerror=alert(1)>\u001b[2J";

        var escaped = MarkdownSummary.M(hostile);

        Assert.DoesNotContain("<img", escaped);
        Assert.DoesNotContain('\u001b', escaped);
        Assert.Contains("&lt;img", escaped);
        Assert.Equal("a\\u001bb", TerminalText.Escape("a\u001bb"));
    }

    [Fact]
    public void Row_11_a_250_character_test_name_is_refused_by_validate_only_before_any_training()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();

        var result = CliRun.Invoke("check", "--config", workspace.Config(), "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", new string('t', 250), "--validate-only");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("(250 characters) cannot name a baseline: use at most 128", result.Error);
        Assert.False(Directory.Exists(workspace.Snapshots));
    }
}
