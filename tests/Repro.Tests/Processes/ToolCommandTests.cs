using Xunit;

namespace Repro.Tests.Processes;

// Every command Repro prints names the tool the way this folder runs it.
public sealed class ToolCommandTests
{
    [Fact]
    public void A_local_tool_manifest_that_lists_the_tool_makes_it_dotnet_repro_in_the_folders_below()
    {
        var root = Directory.CreateTempSubdirectory("repro-tool-").FullName;
        try
        {
            var below = Directory.CreateDirectory(Path.Combine(root, "bin", "Debug")).FullName;
            Assert.Equal("repro", ToolCommand.Detect(below));
            File.WriteAllText(Path.Combine(root, "dotnet-tools.json"), """{ "version": 1, "isRoot": true, "tools": { "other.tool": { "version": "1.0.0", "commands": [ "other" ] } } }""");
            Assert.Equal("repro", ToolCommand.Detect(below));
            File.WriteAllText(Path.Combine(root, "dotnet-tools.json"), """{ "version": 1, "isRoot": true, "tools": { "repro.cli": { "version": "0.1.0-dev.gabcdef0", "commands": [ "repro" ] } } }""");
            Assert.Equal("dotnet repro", ToolCommand.Detect(below));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
