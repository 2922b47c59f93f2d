using System.Diagnostics;

namespace Repro;

// Trains a check in a fresh process through the repro CLI ('run <check arguments> --out <file>') and
// returns what it wrote: the only way to see per-process randomisation such as string hashing.
internal static class ChildProcessRun
{
    internal const string CliAssembly = "Repro.Cli.dll";

    internal static BaselineFile Train(TrainingCheck check, DoctorOptions options, Perturbation? perturbation = null)
    {
        var cli = LocateCli(options.CliPath);
        var folder = Directory.CreateTempSubdirectory("repro-doctor-");
        try
        {
            var configPath = Path.Combine(folder.FullName, "settings.json");
            var outPath = Path.Combine(folder.FullName, "run.json");
            File.WriteAllText(configPath, ReproJson.Serialize(SettingsJson.Of(check)));
            var run = RunCli(cli, ["run", .. CheckArguments(check, configPath), "--out", outPath], options.ChildTimeout,
                "train in a second process. Put the dotnet host on PATH or set DOTNET_HOST_PATH",
                $"The second-process training ({cli}) did not finish within {options.ChildTimeout}. Raise DoctorOptions.ChildTimeout or use a smaller config.",
                perturbation is null ? null : perturbation.ApplyTo);
            if (run.ExitCode != 0 || !File.Exists(outPath))
                throw new ReproException($"The second-process training failed (exit {run.ExitCode}): {Tail(run.Stderr)}{Tail(run.Stdout)} Run '{run.Command}' to see it, or leave --processes off.");
            return BaselineStore.Read(outPath);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Whether another process can build this check: it names its own arguments, or has a public parameterless constructor.</summary>
    internal static bool CanRebuild(TrainingCheck check) =>
        check.ChildProcessArguments is not null || (check.GetType().IsPublic || check.GetType().IsNestedPublic) && check.GetType().GetConstructor(Type.EmptyTypes) is not null;

    /// <summary>Whether the CLI the second process needs is there.</summary>
    internal static bool CliAvailable(DoctorOptions options)
    {
        try { LocateCli(options.CliPath); return true; }
        catch (ReproException) { return false; }
    }

    internal static string LocateCli(string? configured)
    {
        var candidates = configured is not null ? [configured]
            : new[] { Path.Combine(AppContext.BaseDirectory, CliAssembly), Path.Combine(Path.GetDirectoryName(typeof(ChildProcessRun).Assembly.Location) ?? AppContext.BaseDirectory, CliAssembly) };
        foreach (var path in candidates)
            if (File.Exists(path)) return Path.GetFullPath(path);
        throw new ReproException($"The two-process check needs {CliAssembly}, but it is not at {string.Join(" or ", candidates)}. Run the doctor through the repro CLI, reference src/Repro.Cli from your project so the CLI is copied beside it, or set DoctorOptions.CliPath.");
    }

    /// <summary>The arguments with which the CLI builds this check, its settings file in place of the placeholder.</summary>
    internal static List<string> CheckArguments(TrainingCheck check, string settingsPath) =>
        [.. (check.ChildProcessArguments ?? ["--assembly", check.GetType().Assembly.Location, "--check", check.GetType().FullName!])
            .Select(a => a.Replace(TrainingCheck.SettingsFilePlaceholder, settingsPath, StringComparison.Ordinal))];

    internal sealed record CliRun(int ExitCode, string Stdout, string Stderr, string Command);

    /// <summary>
    /// Runs the CLI to its end with both streams captured; <paramref name="purpose"/> completes "Could not start ... to",
    /// and <paramref name="timedOut"/> is the message when it runs past <paramref name="timeout"/> (it is killed then).
    /// </summary>
    internal static CliRun RunCli(string cli, IEnumerable<string> arguments, TimeSpan timeout, string purpose, string timedOut,
        Action<IDictionary<string, string?>>? environment = null)
    {
        var start = CliStart(cli);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
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

    // The CLI's own executable when it has one beside it (a self-contained publish has no dotnet host),
    // else the dotnet host that runs this process.
    internal static ProcessStartInfo CliStart(string cli)
    {
        var apphost = Path.Combine(Path.GetDirectoryName(cli)!, Path.GetFileNameWithoutExtension(cli));
        if (OperatingSystem.IsLinux() && File.Exists(apphost)) return new ProcessStartInfo(apphost);
        var current = System.Environment.ProcessPath;
        var host = current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? current
            : System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } configured && File.Exists(configured) ? configured : "dotnet";
        var start = new ProcessStartInfo(host);
        start.ArgumentList.Add(cli);
        return start;
    }

    static string Tail(string text)
    {
        text = text.Trim();
        return text.Length == 0 ? "" : (text.Length > 2000 ? "..." + text[^2000..] : text) + " ";
    }
}
