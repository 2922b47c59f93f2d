using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Repro;

// Starts a rank as a fresh process of the given executable and arguments (the CLI's own command line, less
// --gpus), with the rendezvous in its environment and only its own GPU visible, so every rank trains on
// its cuda:0 and the check's code needs no device index.
internal sealed class ProcessRankStarter(string executable, IReadOnlyList<string> arguments) : IRankStarter
{
    public IRankProcess Start(Rendezvous rendezvous)
    {
        var start = ChildProcessRun.ExecutableStart(executable);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in rendezvous.ToEnvironment()) start.Environment[name] = value;
        var visible = System.Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { Length: > 0 } list ? list.Split(',') : null;
        start.Environment["CUDA_VISIBLE_DEVICES"] = visible is null ? rendezvous.Rank.ToString(CultureInfo.InvariantCulture) : visible[rendezvous.Rank].Trim();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new ReproException($"Could not start rank {rendezvous.Rank} ({start.FileName}).");
        return new RankProcess(rendezvous.Rank, process);
    }

    sealed class RankProcess : IRankProcess
    {
        readonly Process _process;
        readonly StringBuilder _output = new();

        internal RankProcess(int rank, Process process)
        {
            Rank = rank;
            _process = process;
            // Each rank's lines reach the console prefixed, as they come; the tail is kept for an error.
            process.OutputDataReceived += (_, e) => Forward(e.Data, Console.Out);
            process.ErrorDataReceived += (_, e) => Forward(e.Data, Console.Error);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        void Forward(string? line, TextWriter writer)
        {
            if (line is null) return;
            lock (_output)
            {
                _output.AppendLine(line);
                if (_output.Length > 8000) _output.Remove(0, _output.Length - 4000);
            }
            writer.WriteLine($"[rank {Rank}] {line}");
        }

        public int Rank { get; }

        public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

        public int ExitCode => _process.ExitCode;

        public string OutputTail
        {
            get
            {
                lock (_output) return _output.Length > 2000 ? "..." + _output.ToString()[^2000..] : _output.ToString();
            }
        }

        public void Kill()
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }

        public void Dispose() => _process.Dispose();
    }
}
