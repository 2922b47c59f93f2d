using YamlDotNet.RepresentationModel;

namespace Repro.Packaging.Tests.Ci;

// The GitHub Actions workflow as a YAML tree, with the few lookups the shape tests need.
internal sealed class Workflow
{
    internal static readonly string File = Path.Combine(RepoPaths.Root, ".github", "workflows", "repro.yml");

    Workflow(YamlMappingNode root) => Root = root;

    internal YamlMappingNode Root { get; }

    internal static Workflow Load(string? path = null)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path ?? File)) stream.Load(reader);
        return new Workflow((YamlMappingNode)stream.Documents[0].RootNode);
    }

    internal YamlMappingNode Job(string name) => Map(Map(Root, "jobs"), name);

    internal static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode job) =>
        [.. ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>()];

    internal static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (YamlMappingNode)child : throw new KeyNotFoundException($"no '{key}' in the workflow node at line {node.Start.Line}");

    /// <summary>A scalar child's value, or null when there is none.</summary>
    internal static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar ? scalar.Value : null;
}
