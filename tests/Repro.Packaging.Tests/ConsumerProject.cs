using System.Text.RegularExpressions;
using Repro.Packaging.Tests.Build;

namespace Repro.Packaging.Tests;

/// <summary>
/// A fresh xunit v3 test project made the way the README's quick start makes it: its bash block run
/// verbatim, line by line, in an empty temp folder outside the solution, with the packed packages as
/// <c>$REPRO_PACKAGES</c>; then the quick-start sample's source files (samples/QuickStart) copied in.
/// </summary>
/// <remarks>
/// Its NuGet global packages folder is a temp folder of its own (NUGET_PACKAGES), so the Repro packages
/// and the tool are extracted there and deleted with it; the machine's packages folder serves as a
/// fallback (NUGET_FALLBACK_PACKAGES), so TorchSharp, libtorch and xunit are used in place.
/// </remarks>
internal sealed partial class ConsumerProject : IDisposable
{
    internal const string ProjectName = "QuickStart.Tests";

    /// <summary>The files a user writes, copied verbatim from samples/QuickStart (the README quotes them).</summary>
    internal static readonly string[] SourceFiles = ["ShapesCheck.cs", "ShapesTests.cs"];

    readonly string _root;
    readonly string _feed;

    ConsumerProject(string root, string feed)
    {
        _root = root;
        _feed = feed;
        Directory = Path.Combine(root, ProjectName);
    }

    internal string Directory { get; }

    /// <summary>What the README's commands printed, and how long they took.</summary>
    internal DotNetCli.Result? SetUp { get; private set; }

    internal TimeSpan SetUpTime { get; private set; }

    internal static string SampleDirectory => Path.Combine(RepoPaths.Root, "samples", "QuickStart");

    static string MachinePackages => System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured ? configured
        : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The quick start's commands: the first ```bash block under "## Quick start: your own model".</summary>
    internal static IReadOnlyList<string> ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var section = readme.IndexOf("\n## Quick start: your own model\n", StringComparison.Ordinal);
        var block = section < 0 ? Match.Empty : BashBlock().Match(readme, section);
        if (!block.Success) throw new InvalidOperationException("README.md has no ```bash block under '## Quick start: your own model'.");
        return [.. block.Groups[1].Value.Split('\n').Where(line => line.Trim().Length > 0)];
    }

    internal static ConsumerProject Create(PackedRepro packages)
    {
        var project = new ConsumerProject(System.IO.Directory.CreateTempSubdirectory("repro-consumer-").FullName, packages.Feed);
        var started = System.Diagnostics.Stopwatch.StartNew();
        // One shell, as a user's terminal: 'cd' and 'export' carry over from line to line; -e stops at the first failure.
        var script = "set -e\n" + string.Join('\n', ReadmeCommands()) + "\n";
        project.SetUp = project.Run("bash", project._root, ["-c", script]);
        project.SetUpTime = started.Elapsed;
        if (project.SetUp.ExitCode == 0)
            foreach (var file in SourceFiles)
                File.Copy(Path.Combine(SampleDirectory, file), Path.Combine(project.Directory, file));
        return project;
    }

    internal void Write(string name, string text) => File.WriteAllText(Path.Combine(Directory, name), text);

    /// <summary>Replaces exactly one occurrence of <paramref name="old"/> in a source file (as a user edits it).</summary>
    internal void Edit(string file, string old, string replacement)
    {
        var path = Path.Combine(Directory, file);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(old, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(old, at + old.Length, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException($"{file} must contain '{old}' exactly once; the sample changed, so change this test with it.");
        File.WriteAllText(path, text[..at] + replacement + text[(at + old.Length)..]);
    }

    /// <summary>Baseline files under the project's snapshots/ folder (the consumer default of ReproSnapshotsDir).</summary>
    internal IReadOnlyList<string> Snapshots(string pattern)
    {
        var root = Path.Combine(Directory, "snapshots");
        return System.IO.Directory.Exists(root) ? System.IO.Directory.GetFiles(root, pattern, SearchOption.AllDirectories) : [];
    }

    internal DotNetCli.Result DotNet(params string[] arguments) => Run("dotnet", Directory, arguments);

    /// <summary>
    /// The installed tool as the README runs it (<c>dotnet repro ...</c>), as a developer at a workstation does:
    /// accepting is refused on CI by design, and this test also runs on CI, so the CI markers are left out.
    /// </summary>
    internal DotNetCli.Result Repro(params string[] arguments) => Run("dotnet", Directory, ["repro", .. arguments], withoutCi: true);

    /// <summary>A command line Repro printed (e.g. "dotnet repro run ... --resume ..."), run as printed.</summary>
    internal DotNetCli.Result RunPrinted(string commandLine) =>
        Run("bash", Directory, ["-c", commandLine], withoutCi: true);

    DotNetCli.Result Run(string program, string directory, IEnumerable<string> arguments, bool withoutCi = false) =>
        DotNetCli.RunProgram(program, directory, arguments, variables =>
        {
            variables["REPRO_PACKAGES"] = _feed;
            variables["NUGET_PACKAGES"] = Path.Combine(_root, ".nuget-packages");
            variables["NUGET_FALLBACK_PACKAGES"] = MachinePackages;
            variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            if (withoutCi)
                foreach (var name in CiDetector.Variables) variables.Remove(name);
        });

    public void Dispose()
    {
        try { System.IO.Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    [GeneratedRegex("```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
