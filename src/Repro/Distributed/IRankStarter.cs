namespace Repro;

// Starts the process of one rank (the real one re-runs the command per rank; tests start fakes).
internal interface IRankStarter
{
    IRankProcess Start(Rendezvous rendezvous);
}

// One rank's running process.
internal interface IRankProcess : IDisposable
{
    int Rank { get; }

    // True when it exited within the timeout.
    bool WaitForExit(TimeSpan timeout);

    int ExitCode { get; }

    // The end of what it wrote, for an error message.
    string OutputTail { get; }

    void Kill();
}
