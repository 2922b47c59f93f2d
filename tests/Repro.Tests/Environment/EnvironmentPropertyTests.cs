using CsCheck;
using Repro.Native;
using Repro.Xunit;
using Xunit;
using Repro.Tests.Doctor;

namespace Repro.Tests.Environments;

// Generated values of every variable Repro documents: a value Repro cannot use is exit 4 naming the
// variable (never ignored), and every invariant of CliInvariants holds. The native ones go through
// libc, where cuBLAS and ATen read them; all are restored afterwards.
[Collection(ReproCollection.Name)]
public sealed class EnvironmentPropertyTests
{
    sealed record Variable(string Name, bool Native, (string? Value, bool Valid)[] Values);

    static readonly Variable[] Variables =
    [
        new("REPRO_DEVICE", false, [(null, true), ("", true), ("auto", true), ("cpu", true), (" CPU ", true), ("tpu", false), ("cuda:0", false)]),
        new("REPRO_ACCEPT", false, [(null, true), ("false", true), ("0", true), ("TRUE", true), ("1", true), ("yes", false), ("maybe", false)]),
        new("REPRO_SNAPSHOTS", false, [("{snapshots}", true), ("{root}/deeper/snapshots", true), ("{file}", false), ("{file}/sub", false)]),
        new("REPRO_LIBTORCH_DIR", false, [(null, true), ("{root}/no-such-dir", false), ("{root}", false)]),
        new("CUBLAS_WORKSPACE_CONFIG", true, [(":4096:8", true), (":16:8", true), (":4096:8:16:8", true), ("bogus", false), (":4096", false), ("4096:8", false)]),
        new("ATEN_CPU_CAPABILITY", true, [("avx2", true), ("AVX2", true), ("sse9", false), ("fast", false)]),
        // cuda-graph is left out: whether it is usable depends on the device (StepCaptureCliTests).
        new("REPRO_STEP_CAPTURE", false, [(null, true), ("auto", true), ("eager", true), (" EAGER ", true), ("graphs", false), ("on", false)]),
        new("REPRO_PARAMETER_LAYOUT", false, [(null, true), ("flat", true), ("per-tensor", true), ("tiled", false)]),
    ];

    static readonly Gen<int[]> Choices = Gen.Int[0, 99].Array[Variables.Length];
    static readonly Gen<string> Commands = Gen.OneOf("check", "env", "approve", "diff");

    [Fact]
    public void Generated_environments_are_honoured_or_refused_by_name()
    {
        using var scope = EnvironmentScope.Workstation();
        var saved = Variables.ToDictionary(v => v.Name, v => v.Native ? LibC.GetEnv(v.Name) : Environment.GetEnvironmentVariable(v.Name));
        try
        {
            Property.Check(Gen.Select(Choices, Commands), c =>
            {
                using var workspace = new CliWorkspace();
                var file = TinyInputs.Write(workspace.Root, "a-file", "not a folder");
                var invalid = new List<string>();
                var described = new List<string>();
                for (var i = 0; i < Variables.Length; i++)
                {
                    var variable = Variables[i];
                    var (value, valid) = variable.Values[c.Item1[i] % variable.Values.Length];
                    value = value?.Replace("{snapshots}", workspace.Snapshots, StringComparison.Ordinal).Replace("{file}", file, StringComparison.Ordinal).Replace("{root}", workspace.Root, StringComparison.Ordinal);
                    Set(variable, value);
                    described.Add($"{variable.Name}={value ?? "(unset)"}");
                    if (!valid) invalid.Add(variable.Name);
                }
                var args = c.Item2 switch
                {
                    "check" => new[] { "check", "--config", TinyInputs.Write(workspace.Root, "tiny.json", ReproJson.Serialize(TinyInputs.Config)), "--test", "env-case", "--json" }
                        .Concat(Property.ValidateOnly ? ["--validate-only"] : Array.Empty<string>()).ToArray(),
                    "approve" => ["approve", "--json"],
                    var other => [other],
                };
                var snapshots = Environment.GetEnvironmentVariable("REPRO_SNAPSHOTS")!;
                var before = FolderState.Of(snapshots);

                var result = CliRun.Invoke(args);

                var because = string.Join(" ", described) + " repro " + string.Join(' ', args);
                CliInvariants.Hold(result, args.Contains("--json"), before, FolderState.Of(snapshots), because);
                if (invalid.Count > 0)
                {
                    Assert.True(result.ExitCode == 4, "an unusable variable must be refused: " + because + "\n" + result);
                    Assert.True(invalid.Any(name => result.Error.Split('\n')[0].Contains(name, StringComparison.Ordinal)), "the error must name the variable: " + because + "\n" + result);
                }
                else Assert.True(result.ExitCode != 4, "a usable environment was refused: " + because + "\n" + result);
            }, ciCases: 60, seed: 20260403);
        }
        finally
        {
            foreach (var variable in Variables) Set(variable, saved[variable.Name]);
        }
    }

    static void Set(Variable variable, string? value)
    {
        if (variable.Native) LibC.SetOrUnsetEnv(variable.Name, value);
        else Environment.SetEnvironmentVariable(variable.Name, value);
    }
}
