namespace Repro;

// Walks two traces step by step, entry by entry, and returns the first entry that differs together
// with what fed it, so a report can say "this operation, not its inputs".
internal static class DivergenceLocator
{
    internal static FirstDivergence? Locate(IReadOnlyList<TraceEntry> first, IReadOnlyList<TraceEntry> second, bool initialWeightsMatched)
    {
        var a = first.ToLookup(e => e.Step);
        var b = second.ToLookup(e => e.Step);
        foreach (var step in a.Select(g => g.Key).Intersect(b.Select(g => g.Key)).Order())
        {
            var left = a[step].ToList();
            var right = b[step].ToList();
            for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
            {
                if (left[i].Name == right[i].Name && left[i].Hash == right[i].Hash && left[i].InputHash == right[i].InputHash) continue;
                return Describe(left, right, i, step, initialWeightsMatched);
            }
            if (left.Count != right.Count)
            {
                var longer = left.Count > right.Count ? left : right;
                var extra = longer[Math.Min(left.Count, right.Count)];
                return new FirstDivergence(step, extra.Epoch, extra.Phase, extra.Name + " (recorded in one run only)", null, null);
            }
        }
        return null;
    }

    static FirstDivergence Describe(List<TraceEntry> left, List<TraceEntry> right, int index, long step, bool initialWeightsMatched)
    {
        var entry = left[index];
        var weightsMatched = step > 1 || initialWeightsMatched;
        switch (entry.Phase)
        {
            case "forward" when entry.InputHash is not null:
            {
                // A hooked module: its own input was hashed; name the stage that produced it when one did.
                var producer = left.Take(index).LastOrDefault(e => e.Phase == "forward" && e.Hash == entry.InputHash)?.Name;
                var inputMatched = entry.InputHash == right[index].InputHash && entry.Name == right[index].Name;
                if (producer is null && !inputMatched && ModelInputDiffers(left, right, index))
                    return new FirstDivergence(step, entry.Epoch, entry.Phase, ModelInput, "batch (sample indices)", BatchMatched(left, right));
                return new FirstDivergence(step, entry.Epoch, entry.Phase, entry.Name, producer ?? $"the input of '{entry.Name}'", inputMatched && weightsMatched);
            }
            case "forward":
            {
                // A stage's input is the previous stage's output; the first stage's input is the batch.
                var previous = index - 1;
                while (previous >= 0 && left[previous].Phase != "forward") previous--;
                if (previous < 0)
                    return new FirstDivergence(step, entry.Epoch, entry.Phase, entry.Name, "batch (sample indices)", BatchMatched(left, right));
                var inputMatched = left[previous].Hash == right[previous].Hash && left[previous].Name == right[previous].Name;
                return new FirstDivergence(step, entry.Epoch, entry.Phase, entry.Name, left[previous].Name, inputMatched && weightsMatched);
            }
            case "backward":
                return new FirstDivergence(step, entry.Epoch, entry.Phase, entry.Name, "forward pass", AllMatch(left, right, index, "forward") && weightsMatched);
            case "update":
                return new FirstDivergence(step, entry.Epoch, entry.Phase, entry.Name, "gradients", AllMatch(left, right, index, "backward"));
            default:
                return new FirstDivergence(step, entry.Epoch, entry.Phase, entry.Name, null, null);
        }
    }

    static bool BatchMatched(List<TraceEntry> left, List<TraceEntry> right)
    {
        var batch = left.FindIndex(e => e.Phase == "batch");
        return batch >= 0 && batch < right.Count && right[batch].Hash == left[batch].Hash;
    }

    // The root module's entry comes after its submodules' (hooks record on completion), but it carries
    // the hash of the model's own input: when that differs, the batch tensor itself differed.
    static bool ModelInputDiffers(List<TraceEntry> left, List<TraceEntry> right, int from)
    {
        for (var i = from; i < Math.Min(left.Count, right.Count); i++)
            if (left[i].Name == ModuleHooks.Root && right[i].Name == ModuleHooks.Root && left[i].InputHash is { } input)
                return input != right[i].InputHash;
        return false;
    }

    /// <summary>The name of the model's input tensor as a stage.</summary>
    internal const string ModelInput = "input";

    static bool AllMatch(List<TraceEntry> left, List<TraceEntry> right, int before, string phase)
    {
        for (var i = 0; i < before; i++)
            if (left[i].Phase == phase && (left[i].Hash != right[i].Hash || left[i].Name != right[i].Name)) return false;
        return true;
    }
}
