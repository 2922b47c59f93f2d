namespace Repro;

/// <summary>
/// An epoch's training steps, from <see cref="EpochContext.Batches"/> or <see cref="EpochContext.Steps{T}"/>:
/// enumerate it once with <c>foreach</c>. Each step is begun when the loop reaches it, and a resumed run's
/// steps done before its checkpoint are left out. It is deliberately not an <see cref="IEnumerable{T}"/>:
/// collecting it (<c>ToList()</c>, <c>Count()</c>) would begin every step before any of them trained.
/// </summary>
/// <typeparam name="T">One step's batch.</typeparam>
public sealed class EpochSteps<T>
{
    readonly EpochContext _epoch;
    readonly IEnumerable<T> _batches;
    readonly Func<T, ReadOnlySpan<int>> _samples;
    bool _enumerated;

    internal EpochSteps(EpochContext epoch, IEnumerable<T> batches, Func<T, ReadOnlySpan<int>> samples)
    {
        _epoch = epoch;
        _batches = batches;
        _samples = samples;
    }

    /// <summary>For <c>foreach</c>; a second enumeration would begin the epoch's steps again and is refused.</summary>
    public Enumerator GetEnumerator()
    {
        if (_enumerated)
            throw new ReproException($"The steps of epoch {_epoch.Epoch} were enumerated twice: each step is begun once. Keep the batches in a list of your own if the check needs them again, " +
                "and loop over the steps once.");
        _enumerated = true;
        return new Enumerator(_epoch, _batches.GetEnumerator(), _samples);
    }

    /// <summary>Begins each step as <c>foreach</c> moves to it, passing over the steps a resumed run already did.</summary>
    public sealed class Enumerator : IDisposable
    {
        readonly EpochContext _epoch;
        readonly IEnumerator<T> _batches;
        readonly Func<T, ReadOnlySpan<int>> _samples;

        internal Enumerator(EpochContext epoch, IEnumerator<T> batches, Func<T, ReadOnlySpan<int>> samples)
        {
            _epoch = epoch;
            _batches = batches;
            _samples = samples;
        }

        /// <summary>The current step's batch.</summary>
        public T Current { get; private set; } = default!;

        /// <summary>Begins the next step that this run trains; false after the last.</summary>
        public bool MoveNext()
        {
            while (_batches.MoveNext())
            {
                var batch = _batches.Current;
                if (!_epoch.Step(_samples(batch))) continue;
                Current = batch;
                return true;
            }
            Current = default!;
            return false;
        }

        /// <summary>Releases the batches' enumerator (a loader's workers).</summary>
        public void Dispose() => _batches.Dispose();
    }
}
