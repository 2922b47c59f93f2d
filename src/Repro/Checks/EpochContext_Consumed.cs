namespace Repro;

// What the epoch's steps actually consumed, beside the order the check planned (Order, RecordOrder):
// a loop that trains batches as tasks complete, or in a concurrent collection's order, plans one order
// and trains another, and only the consumed one explains its numbers.
public sealed partial class EpochContext
{
    readonly List<int> _consumed = [];
    int[]? _planned;

    /// <summary>
    /// The hash of the sample indices in the order the steps consumed them, or null when that is the planned
    /// order (or its beginning: a dropped last batch) or no order was planned: recorded only where it tells
    /// something the planned order's hash does not.
    /// </summary>
    internal string? ConsumedOrderHash =>
        _planned is null || _consumed.Count == 0 || IsPlannedPrefix() ? null : EpochOrder.Hash(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_consumed));

    /// <summary>Whether the steps consumed exactly the planned samples that far, in another order: completion order, not another selection.</summary>
    internal bool ConsumedPlannedSamplesReordered =>
        _planned is { } planned && _consumed.Count <= planned.Length && !IsPlannedPrefix()
        && planned.AsSpan(0, _consumed.Count).ToArray().Order().SequenceEqual(_consumed.Order());

    bool IsPlannedPrefix() =>
        _consumed.Count <= _planned!.Length && _planned.AsSpan(0, _consumed.Count).SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_consumed));
}
