using System.Reflection;

namespace Repro;

// The child side of a second-process or fresh-process-resume run started from a test executable
// (the user's own test project, relaunched): it trains the requested check in this process, writes
// the run where asked and exits, before the test framework's entry point runs. Called from a module
// initializer that Repro.Xunit's build files add to a test project, so it costs one variable lookup
// in every normal test run.
internal static class ChildEntry
{
    /// <summary>The assembly metadata key that marks an assembly whose executable serves child requests.</summary>
    internal const string MetadataKey = "Repro.ChildEntry";

    internal static void RunIfRequested(Assembly assembly)
    {
        if (System.Environment.GetEnvironmentVariable(ChildRequest.Variable) is not { Length: > 0 } path) return;
        // Processes this child starts are never children in turn.
        System.Environment.SetEnvironmentVariable(ChildRequest.Variable, null);
        int exit;
        try
        {
            Execute(assembly, ChildRequest.Read(path));
            exit = 0;
        }
        catch (ReproException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            exit = 4;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"error: the child training failed unexpectedly: {ex}");
            exit = 4;
        }
        Console.Out.Flush();
        Console.Error.Flush();
        System.Environment.Exit(exit);
    }

    internal static void Execute(Assembly assembly, ChildRequest request)
    {
        var type = assembly.GetType(request.Check, throwOnError: false)
            ?? throw new ReproException($"The child process found no type {request.Check} in {assembly.GetName().Name}; rebuild the test project.");
        var check = ChildProcessRun.Construct(type)
            ?? throw new ReproException($"{type.FullName} has no public parameterless constructor, so a second process cannot build it.");
        var hash = TrainingHarness.DescribeSettings(check).Hash;
        if (hash != request.SettingsHash)
        {
            check.Dispose();
            throw new ReproException($"{type.FullName}'s parameterless constructor builds settings {hash}, the parent process trained {request.SettingsHash}: the builds differ. " +
                "Rebuild the test project.");
        }
        var run = ChildDataStages.Train(() => request.ResumeFrom is null ? TrainingHarness.Train(check)
            : TrainingHarness.Train(check, new CheckpointOptions { ResumeFrom = request.ResumeFrom }));
        var file = new BaselineFile { Test = run.Name, Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint };
        AtomicFile.WriteAllText(request.Out, ReproJson.Serialize(file));
    }
}
