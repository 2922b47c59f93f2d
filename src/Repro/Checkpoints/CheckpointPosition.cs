using System.Globalization;

namespace Repro;

/// <summary>
/// A point between two training steps: the end of an epoch, or the moment after step
/// <see cref="Step"/> of epoch <see cref="Epoch"/> (steps are <see cref="EpochContext.Step"/> calls,
/// counted from 1 in each epoch).
/// </summary>
public sealed record CheckpointPosition
{
    CheckpointPosition(int epoch, int step, bool endOfEpoch)
    {
        if (epoch < 1) throw new ReproException($"A checkpoint position names epoch {epoch}; epochs count from 1.");
        if (step < 0) throw new ReproException($"A checkpoint position names step {step} of epoch {epoch}; steps count from 1 (0 = before the first).");
        Epoch = epoch;
        Step = step;
        EndOfEpoch = endOfEpoch;
    }

    /// <summary>The end of <paramref name="epoch"/>: after its metrics are recorded, before the next epoch starts.</summary>
    public static CheckpointPosition AfterEpoch(int epoch) => new(epoch, 0, true);

    /// <summary>After step <paramref name="step"/> of <paramref name="epoch"/> (when it is the epoch's last step, at the end of the epoch).</summary>
    public static CheckpointPosition AfterStep(int epoch, int step)
    {
        if (step < 1) throw new ReproException($"AfterStep({epoch}, {step}): steps count from 1; use AfterEpoch({epoch - 1}) for the start of epoch {epoch}.");
        return new(epoch, step, false);
    }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>Steps of <see cref="Epoch"/> done; 0 with <see cref="EndOfEpoch"/> means all of them.</summary>
    public int Step { get; }

    /// <summary>True for the end of the epoch.</summary>
    public bool EndOfEpoch { get; }

    /// <summary>"2" (end of epoch 2) or "2:5" (after step 5 of epoch 2), the CLI's --stop-after syntax.</summary>
    public override string ToString() => EndOfEpoch
        ? Epoch.ToString(CultureInfo.InvariantCulture)
        : Epoch.ToString(CultureInfo.InvariantCulture) + ":" + Step.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses "E" (end of epoch E) or "E:S" (after step S of epoch E).</summary>
    public static CheckpointPosition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length is 1 or 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) && epoch >= 1)
        {
            if (parts.Length == 1) return AfterEpoch(epoch);
            if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step >= 1) return AfterStep(epoch, step);
        }
        throw new ReproException($"'{text}' is not a training position: write E for the end of epoch E (e.g. 2) or E:S for after step S of epoch E (e.g. 2:5), both counting from 1.");
    }

    /// <summary>A description for messages: "the end of epoch 2" or "step 5 of epoch 2".</summary>
    public string Describe() => EndOfEpoch ? $"the end of epoch {Epoch}" : $"step {Step} of epoch {Epoch}";
}
