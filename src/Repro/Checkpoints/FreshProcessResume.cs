namespace Repro;

/// <summary>
/// Proves resumption the way it happens in practice: trains a check in this process up to a position,
/// writing a checkpoint there, then resumes that checkpoint in a fresh process ('repro run --resume',
/// Repro.Cli beside this assembly) and returns what the fresh process trained. Nothing of this
/// process's libtorch, generator or .NET state can reach the resumed run.
/// </summary>
public static class FreshProcessResume
{
    /// <summary>The resumed run; its fingerprint is the uninterrupted run's when resumption is exact.</summary>
    /// <param name="create">Builds the check; it is trained here up to <paramref name="stopAfter"/>.</param>
    /// <param name="stopAfter">Where to stop and checkpoint, e.g. <c>CheckpointPosition.AfterStep(2, 3)</c>.</param>
    /// <param name="cliPath">Repro.Cli.dll (or its apphost); null looks beside this assembly.</param>
    /// <param name="timeout">Limit for the fresh process; null is 10 minutes.</param>
    public static TrainedRun Train(Func<TrainingCheck> create, CheckpointPosition stopAfter, string? cliPath = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(stopAfter);
        var cli = ChildProcessRun.LocateCli(cliPath);
        var folder = Directory.CreateTempSubdirectory("repro-resume-");
        try
        {
            var check = create() ?? throw new ReproException("The check factory returned null; return a new check instance.");
            var settingsPath = Path.Combine(folder.FullName, "settings.json");
            List<string> checkArguments;
            try
            {
                File.WriteAllText(settingsPath, ReproJson.Serialize(SettingsJson.Of(check)));
                checkArguments = ChildProcessRun.CheckArguments(check, settingsPath);
            }
            catch
            {
                check.Dispose();
                throw;
            }
            string checkpoint;
            try
            {
                TrainingHarness.Train(check, new CheckpointOptions { Directory = Path.Combine(folder.FullName, "checkpoints"), StopAfter = stopAfter });
                throw new ReproException($"The check trained to its end without reaching {stopAfter.Describe()} (it stopped early, or has fewer epochs or steps), so there was nothing to resume. Stop at an earlier position.");
            }
            catch (TrainingStoppedException stopped)
            {
                checkpoint = stopped.Checkpoint;
            }
            var outPath = Path.Combine(folder.FullName, "resumed.json");
            var limit = timeout ?? TimeSpan.FromMinutes(10);
            var run = ChildProcessRun.RunCli(cli, ["run", .. checkArguments, "--resume", checkpoint, "--out", outPath], limit,
                "resume in a fresh process", $"The resumed training ({cli}) did not finish within {limit}.");
            if (run.ExitCode != 0)
                throw new ReproException($"The resumed training failed (exit {run.ExitCode}): {run.Stderr.Trim()} {run.Stdout.Trim()}\nCommand: {run.Command}");
            var file = BaselineStore.Read(outPath);
            return new TrainedRun(file.Fingerprint.Name, file.Config, file.Environment, file.Fingerprint);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
