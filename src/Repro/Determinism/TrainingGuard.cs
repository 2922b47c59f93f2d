namespace Repro.Advanced;

/// <summary>
/// libtorch's default generators and context flags are process-wide: two trainings overlapping in
/// one process corrupt each other's randomness. Every training holds this guard; a second one fails loudly.
/// </summary>
public static class TrainingGuard
{
    static int _active;
    static string? _owner;

    /// <summary>True while a training holds the guard.</summary>
    public static bool IsActive => Volatile.Read(ref _active) != 0;

    /// <summary>Takes the guard for the lifetime of the returned handle.</summary>
    public static IDisposable Enter(string owner)
    {
        if (Interlocked.CompareExchange(ref _active, 1, 0) != 0)
            throw Overlap($"Two trainings overlap in one process ('{owner}' started while '{_owner}' runs). libtorch's generators and determinism flags are process-wide, " +
                "so both would produce wrong numbers. Put training tests in the [Collection(ReproCollection.Name)] collection (parallelisation off) or train sequentially.");
        _owner = owner;
        return new Release();
    }

    internal static void ThrowIfActive(string action)
    {
        if (IsActive)
            throw Overlap($"Cannot {action} while '{_owner}' is training: the settings would change under a running training. Apply them before training starts.");
    }

    // Marks the exceptions the guard throws, so the doctor names them from the exception itself.
    const string OverlapMarker = "Repro.TrainingGuard.Overlap";

    static ReproException Overlap(string message)
    {
        var exception = new ReproException(message);
        exception.Data[OverlapMarker] = true;
        return exception;
    }

    /// <summary>True when <paramref name="exception"/> (or one it wraps) is the guard refusing an overlapping training.</summary>
    internal static bool IsOverlap(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.Data.Contains(OverlapMarker)) return true;
            if (e is AggregateException { InnerExceptions: var inner } && inner.Any(IsOverlap)) return true;
        }
        return false;
    }

    sealed class Release : IDisposable
    {
        int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            _owner = null;
            Volatile.Write(ref _active, 0);
        }
    }
}
