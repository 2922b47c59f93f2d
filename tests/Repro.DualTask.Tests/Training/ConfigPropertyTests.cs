using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.Training;

// Generated config files, valid and not: every one is either refused with exit 4 naming the file
// (and, for a size below 1, the field) and nothing written, or accepted with every value it set applied.
[Collection(ReproCollection.Name)]
public sealed class ConfigPropertyTests
{
    static readonly string[] Paths = Leaves(TinyInputs.ConfigJson(), "").ToArray();

    // Fields where a number below 1 is always wrong.
    static readonly string[] AtLeastOne =
    [
        "epochs", "batchSize", "gradientAccumulationSteps", "dataWorkers", "model.inputSize", "model.conv1Channels", "model.conv2Channels",
        "model.conv3Channels", "model.hiddenSize", "model.lstmLayers", "model.attentionHeads", "model.fullyConnectedSize", "model.sharedSize",
        "model.headSize", "model.healthClasses", "data.synthetic.trainUnits", "data.synthetic.regimes", "data.synthetic.minLife",
        "data.synthetic.maxLife", "data.preprocessing.windowLength", "data.preprocessing.stride", "data.preprocessing.rulCap",
        "determinism.intraOpThreads",
    ];

    static readonly Gen<string> Values = Gen.OneOf(
        "0", "-1", "1", "2", "3", "4", "8", "15", "16", "32", "64", "0.5", "1.5", "1e-3", "2147483647", "-2147483648", "2147483648", "1e308",
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "null", "true", "false", "\"text\"", "\"\"", "[]", "{}", "\"cpu\"", "\"cuda\"", "\"avx2\"",
        "\":16:8\"", "\"bogus\"", "\"../x\"");

    static readonly Gen<Mutation> Mutations = Gen.Frequency(
        (8, Gen.Select(Gen.OneOf(Paths), Values, (p, v) => new Mutation(p, v, MutationKind.Set))),
        (1, Gen.OneOf(Paths).Select(p => new Mutation(p, "", MutationKind.Remove))),
        (1, Gen.OneOf(Paths).Select(p => new Mutation(p, "1", MutationKind.Rename))));

    [Fact]
    public void Generated_config_files_are_refused_clearly_or_applied_fully()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        Property.Check(Mutations.Array[1, 3], mutations =>
        {
            var json = TinyInputs.ConfigJson();
            foreach (var m in mutations) m.Apply(json);
            var file = TinyInputs.Write(workspace.Root, "config.json", json.ToJsonString());
            var before = FolderState.Of(workspace.Snapshots);

            // print-config validates and prints without training; check must refuse the same files before training.
            var printed = CliRun.Invoke("run", "--config", file, "--print-config");
            var because = string.Join(", ", mutations.Select(m => m.ToString()));
            CliInvariants.Hold(printed, json: false, before, FolderState.Of(workspace.Snapshots), because);
            Assert.True(printed.ExitCode is 0 or 4, because + "\n" + printed);
            if (printed.ExitCode == 4)
            {
                Assert.Contains(file, printed.Error);
                foreach (var m in mutations.Where(m => m.Kind == MutationKind.Set && AtLeastOne.Contains(m.Path) && double.TryParse(m.Value, out var v) && v < 1))
                    if (mutations.Length == 1)
                        // Named with its value: as Type.Field=value by validation, or as the JSON path when the value has the wrong type (0.5 for a whole number).
                        Assert.True(printed.Error.Contains(Pascal(m.Path) + "=", StringComparison.Ordinal) || printed.Error.Contains($"$.{m.Path} is {m.Value}", StringComparison.Ordinal),
                            $"the error must name {m.Path} and its value: {because}\n{printed}");
                var check = CliRun.Invoke("check", "--config", file, "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", "generated", "--json");
                CliInvariants.Hold(check, json: true, before, FolderState.Of(workspace.Snapshots), because);
                Assert.True(check.ExitCode == 4, because + "\n" + check);
                return;
            }
            var applied = JsonNode.Parse(printed.Out)!;
            var intended = new Dictionary<string, Mutation>();
            foreach (var m in mutations)
                if (m.Kind == MutationKind.Set) intended[m.Path] = m;
                else intended.Remove(m.Path);
            foreach (var m in intended.Values)
                Assert.True(SameValue(Get(applied, m.Path), JsonNode.Parse(m.Value)), $"{m} was accepted but not applied: {because}\n{printed.Out}");
        }, ciCases: 40, seed: 20260401);
    }

    static bool SameValue(JsonNode? actual, JsonNode? expected)
    {
        if (actual is null || expected is null) return actual is null && expected is null;
        if (actual.GetValueKind() is JsonValueKind.Number or JsonValueKind.String && expected.GetValueKind() is JsonValueKind.Number or JsonValueKind.String)
            return ToDouble(actual) is { } a && ToDouble(expected) is { } e ? a.Equals(e) : string.Equals(actual.ToString(), expected.ToString(), StringComparison.OrdinalIgnoreCase);
        return JsonNode.DeepEquals(actual, expected);
    }

    static double? ToDouble(JsonNode node) =>
        double.TryParse(node.ToString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    static JsonNode? Get(JsonNode root, string path) => path.Split('.').Aggregate((JsonNode?)root, (node, part) => node?[part]);

    static string Pascal(string path) => path.Split('.')[^1] is var last ? char.ToUpperInvariant(last[0]) + last[1..] : path;

    static IEnumerable<string> Leaves(JsonNode node, string prefix) => node is JsonObject obj
        ? obj.SelectMany(p => p.Value is JsonObject ? Leaves(p.Value, prefix + p.Key + ".") : [prefix + p.Key])
        : [];

    internal enum MutationKind { Set, Remove, Rename }

    internal sealed record Mutation(string Path, string Value, MutationKind Kind)
    {
        internal void Apply(JsonNode root)
        {
            var parts = Path.Split('.');
            var parent = parts[..^1].Aggregate((JsonNode?)root, (node, part) => node?[part]) as JsonObject;
            if (parent is null) return;
            switch (Kind)
            {
                case MutationKind.Set: parent[parts[^1]] = JsonNode.Parse(Value); break;
                case MutationKind.Remove: parent.Remove(parts[^1]); break;
                case MutationKind.Rename when parent[parts[^1]] is { } value:
                    parent.Remove(parts[^1]);
                    parent[char.ToUpperInvariant(parts[^1][0]) + parts[^1][1..]] = value.DeepClone();
                    break;
            }
        }

        public override string ToString() => Kind == MutationKind.Set ? $"{Path}={Value}" : $"{Kind} {Path}";
    }
}
