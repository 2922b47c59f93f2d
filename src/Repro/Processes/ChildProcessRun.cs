using System.Diagnostics;
using System.Reflection;

namespace Repro;

// Trains a check in a fresh process and returns what it wrote: the only way to see per-process
// randomisation such as string hashing, and the proof that a checkpoint resumes anywhere. Two hosts
// serve: the check's own test executable (a test project with Repro.Xunit's build files marks its
// assembly and answers a child request before its test framework starts), which carries exactly the
// dependencies the check was built with; else the repro CLI ('run <check arguments> --out <file>').
internal static class ChildProcessRun
{
    internal const string CliAssembly = "Repro.Cli.dll";

    /// <summary>Trains <paramref name="check"/> (rebuilt there) in a fresh process; with <paramref name="resumeFrom"/>, resumes that checkpoint.</summary>
    internal static BaselineFile Train(TrainingCheck check, DoctorOptions options, Perturbation? perturbation = null, string? resumeFrom = null, TimeSpan? timeout = null) =>
        Train(check, options, perturbation, resumeFrom, timeout, keepStages: false).Run;

    /// <summary>Trains <paramref name="check"/> in a fresh process and returns its run with the values of the data stages it recorded (null when it sent none).</summary>
    internal static (BaselineFile Run, List<DataStageEvidence.StageValues>? Stages) TrainKeepingStages(TrainingCheck check, DoctorOptions options, Perturbation? perturbation = null) =>
        Train(check, options, perturbation, null, null, keepStages: true);

    static (BaselineFile Run, List<DataStageEvidence.StageValues>? Stages) Train(TrainingCheck check, DoctorOptions options, Perturbation? perturbation, string? resumeFrom, TimeSpan? timeout,
        bool keepStages)
    {
        if (Unavailable(check, options) is { } why)
            throw new ReproException($"A second process cannot train {check.GetType().FullName}: {why}.");
        var folder = Directory.CreateTempSubdirectory("repro-child-");
        var limit = timeout ?? options.ChildTimeout;
        try
        {
            var outPath = Path.Combine(folder.FullName, "run.json");
            var stagesPath = Path.Combine(folder.FullName, "stages.bin");
            var start = Start(check, options, folder.FullName, outPath, resumeFrom);
            if (keepStages) start.Environment[ChildDataStages.Variable] = stagesPath;
            var run = Run(start, limit, resumeFrom is null ? "train in a second process" : "resume in a fresh process",
                $"The {(resumeFrom is null ? "second-process" : "resumed")} training ({start.FileName}) did not finish within {limit}. Raise DoctorOptions.ChildTimeout or use a smaller config.",
                perturbation is null ? null : perturbation.ApplyTo);
            if (run.ExitCode != 0 || !File.Exists(outPath))
                throw new ReproException($"The {(resumeFrom is null ? "second-process" : "resumed")} training failed (exit {run.ExitCode}): {Tail(run.Stderr)}{Tail(run.Stdout)}Command: " +
                    $"{run.Command}");
            return (BaselineStore.Read(outPath), keepStages ? ChildDataStages.Read(stagesPath) : null);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Why no fresh process can train this check here, in words that name the fix; null when one can.</summary>
    internal static string? Unavailable(TrainingCheck check, DoctorOptions options)
    {
        var type = check.GetType();
        if (check.ChildProcessArguments is null)
        {
            if (!(type.IsPublic || type.IsNestedPublic) || type.GetConstructor(Type.EmptyTypes) is null)
                return $"{type.FullName} has no public parameterless constructor (and no ChildProcessArguments), so another process cannot build it; make the type public and give it one";
            using var rebuilt = Construct(type);
            var mine = TrainingHarness.DescribeSettings(check).Hash;
            var theirs = rebuilt is null ? null : TrainingHarness.DescribeSettings(rebuilt).Hash;
            if (theirs != mine)
                return $"this instance has other settings (config {mine[..8]}) than its parameterless constructor builds (config {theirs?[..Math.Min(8, theirs.Length)]}), " +
                    "so another process would train another check; let the parameterless constructor build these settings (e.g. a subclass per variant)";
            if (options.CliPath is null && TestExecutable(type.Assembly) is not null) return null;
        }
        return CliPath(options.CliPath) is null
            ? $"{type.Assembly.GetName().Name} is not a test project with Repro.Xunit's build files (whose executable serves as the second process), and {CliAssembly} is not beside it; " +
                "reference the Repro.Xunit package from the test project, or run through the repro tool"
            : null;
    }

    internal static TrainingCheck? Construct(Type type) =>
        type.GetConstructor(Type.EmptyTypes) is { } constructor && typeof(TrainingCheck).IsAssignableFrom(type) ? (TrainingCheck)constructor.Invoke(null) : null;

    // The assembly's own executable when Repro.Xunit's build files marked it as serving child requests.
    internal static string? TestExecutable(Assembly assembly)
    {
        var marked = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Any(a => a.Key == ChildEntry.MetadataKey && a.Value == "true");
        var location = assembly.Location;
        return marked && location.Length > 0 && File.Exists(Path.ChangeExtension(location, ".runtimeconfig.json")) ? location : null;
    }

    internal static string? CliPath(string? configured)
    {
        var candidates = configured is not null ? [configured]
            : new[] { Path.Combine(AppContext.BaseDirectory, CliAssembly), Path.Combine(Path.GetDirectoryName(typeof(ChildProcessRun).Assembly.Location) ?? AppContext.BaseDirectory, CliAssembly) };
        return candidates.Where(File.Exists).Select(Path.GetFullPath).FirstOrDefault();
    }

    static ProcessStartInfo Start(TrainingCheck check, DoctorOptions options, string folder, string outPath, string? resumeFrom)
    {
        var settingsPath = Path.Combine(folder, "settings.json");
        if (check.ChildProcessArguments is null && options.CliPath is null && TestExecutable(check.GetType().Assembly) is { } executable)
        {
            var requestPath = Path.Combine(folder, "request.json");
            new ChildRequest(check.GetType().FullName!, TrainingHarness.DescribeSettings(check).Hash, outPath, resumeFrom).Write(requestPath);
            var child = ExecutableStart(executable);
            child.Environment[ChildRequest.Variable] = requestPath;
            return child;
        }
        File.WriteAllText(settingsPath, ReproJson.Serialize(SettingsJson.Of(check)));
        var start = ExecutableStart(CliPath(options.CliPath)!);
        List<string> arguments = ["run", .. CheckArguments(check, settingsPath), .. resumeFrom is null ? Array.Empty<string>() : ["--resume", resumeFrom], "--out", outPath];
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>The arguments with which the CLI builds this check, its settings file in place of the placeholder.</summary>
    internal static List<string> CheckArguments(TrainingCheck check, string settingsPath) =>
        [.. (check.ChildProcessArguments ?? ["--assembly", check.GetType().Assembly.Location, "--check", check.GetType().FullName!])
            .Select(a => a.Replace(IChildProcessCheck.SettingsFilePlaceholder, settingsPath, StringComparison.Ordinal))];

    internal sealed record CliRun(int ExitCode, string Stdout, string Stderr, string Command);

    /// <summary>
    /// Runs the CLI to its end with both streams captured; <paramref name="purpose"/> completes "Could not start ... to",
    /// and <paramref name="timedOut"/> is the message when it runs past <paramref name="timeout"/> (it is killed then).
    /// </summary>
    internal static CliRun RunCli(string cli, IEnumerable<string> arguments, TimeSpan timeout, string purpose, string timedOut,
        Action<IDictionary<string, string?>>? environment = null)
    {
        var start = ExecutableStart(cli);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Run(start, timeout, purpose, timedOut, environment);
    }

    static CliRun Run(ProcessStartInfo start, TimeSpan timeout, string purpose, string timedOut, Action<IDictionary<string, string?>>? environment)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        environment?.Invoke(start.Environment);
        using var process = Process.Start(start) ?? throw new ReproException($"Could not start '{start.FileName}' to {purpose}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new ReproException(timedOut);
        }
        process.WaitForExit();
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result, $"{start.FileName} {string.Join(' ', start.ArgumentList)}");
    }

    // The assembly's own executable when it has one beside it (a self-contained publish has no dotnet
    // host), else the dotnet host that runs this process.
    internal static ProcessStartInfo ExecutableStart(string assembly)
    {
        var start = HostStart(assembly);
        // The runtime reads its SIMD width at start-up: a second process must vectorise managed code as this one does.
        start.Environment[CpuProfile.VectorWidthVariable] = CpuProfile.ChildVectorWidth();
        return start;
    }

    static ProcessStartInfo HostStart(string assembly)
    {
        var apphost = Path.Combine(Path.GetDirectoryName(assembly)!, Path.GetFileNameWithoutExtension(assembly));
        if (OperatingSystem.IsLinux() && File.Exists(apphost)) return new ProcessStartInfo(apphost);
        var current = System.Environment.ProcessPath;
        var host = current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? current
            : System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } configured && File.Exists(configured) ? configured : "dotnet";
        var start = new ProcessStartInfo(host);
        start.ArgumentList.Add(assembly);
        return start;
    }

    static string Tail(string text)
    {
        text = text.Trim();
        return text.Length == 0 ? "" : (text.Length > 2000 ? "..." + text[^2000..] : text) + " ";
    }
}
