namespace Repro;

/// <summary>
/// Proves resumption the way it happens in practice: trains a check in this process up to a position,
/// writing a checkpoint there, then resumes that checkpoint in a fresh process (the check's own test
/// executable, or 'repro run --resume') and returns what the fresh process trained. Nothing of this
/// process's libtorch, generator or .NET state can reach the resumed run.
/// </summary>
internal static class FreshProcessResume
{
    /// <summary>The resumed run; its fingerprint is the uninterrupted run's when resumption is exact.</summary>
    /// <param name="create">Builds the check; it is trained here up to <paramref name="stopAfter"/>.</param>
    /// <param name="stopAfter">Where to stop and checkpoint, e.g. <c>CheckpointPosition.AfterStep(2, 3)</c>.</param>
    /// <param name="cliPath">Repro.Cli.dll (or its apphost) to resume through; null: the check's own test executable when Repro.Xunit's build files marked it, else Repro.Cli.dll beside this assembly.</param>
    /// <param name="timeout">Limit for the fresh process; null is 10 minutes.</param>
    public static TrainedRun Train(Func<TrainingCheck> create, CheckpointPosition stopAfter, string? cliPath = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(stopAfter);
        var options = new DoctorOptions { CliPath = cliPath };
        var folder = Directory.CreateTempSubdirectory("repro-resume-");
        try
        {
            var check = create() ?? throw new ReproException("The check factory returned null; return a new check instance.");
            string checkpoint;
            try
            {
                // Before training: a check no fresh process can rebuild fails here, not after the first half.
                if (ChildProcessRun.Unavailable(check, options) is { } why)
                    throw new ReproException($"A fresh process cannot resume {check.GetType().FullName}: {why}.");
                TrainingHarness.Train(check, new CheckpointOptions { Directory = Path.Combine(folder.FullName, "checkpoints"), StopAfter = stopAfter });
                throw new ReproException($"The check trained to its end without reaching {stopAfter.Describe()} (it stopped early, or has fewer epochs or steps), so there was nothing to resume. " +
                    "Stop at an earlier position.");
            }
            catch (TrainingStoppedException stopped)
            {
                checkpoint = stopped.Checkpoint;
            }
            catch
            {
                check.Dispose();
                throw;
            }
            // The same check (rebuilt in the fresh process by its parameterless constructor or ChildProcessArguments).
            using var again = create();
            var file = ChildProcessRun.Train(again, options, resumeFrom: checkpoint, timeout: timeout ?? TimeSpan.FromMinutes(10));
            return new TrainedRun(file.Fingerprint.Name, file.Config, file.Environment, file.Fingerprint);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
