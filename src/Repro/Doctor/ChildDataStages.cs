namespace Repro;

// The data stages a second process trained on, by value, handed back to the doctor that started it: a
// fingerprint only says that the data moved, and a rounding-level move from equal earlier stages (a
// reduction whose order follows thread scheduling) must not be named per-process hashing.
internal static class ChildDataStages
{
    /// <summary>Set by the parent to a file in the temporary folder it owns for that child.</summary>
    internal const string Variable = "REPRO_CHILD_DATA_STAGES";

    const int Format = 1;

    /// <summary>In a child asked for its data stages, trains through <paramref name="train"/> keeping them and writes them where asked.</summary>
    internal static T Train<T>(Func<T> train)
    {
        if (System.Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path) return train();
        // Processes this child starts write nothing of their own there.
        System.Environment.SetEnvironmentVariable(Variable, null);
        T result = default!;
        var stages = DataStageEvidence.Keeping(() => result = train());
        Write(path, stages);
        return result;
    }

    static void Write(string path, List<DataStageEvidence.StageValues> stages)
    {
        var temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(Format);
            writer.Write(stages.Count);
            foreach (var stage in stages)
            {
                writer.Write(stage.Stage);
                writer.Write(stage.SinglePrecision);
                writer.Write(stage.Values.Length);
                foreach (var value in stage.Values) writer.Write(value);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The stages a child wrote, or null when it wrote none (an older build, or a check that records none).</summary>
    internal static List<DataStageEvidence.StageValues>? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadInt32() != Format) return null;
            var stages = new List<DataStageEvidence.StageValues>(reader.ReadInt32());
            for (var count = stages.Capacity; count > 0; count--)
            {
                var (name, single) = (reader.ReadString(), reader.ReadBoolean());
                var values = new double[reader.ReadInt32()];
                for (var i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
                stages.Add(new DataStageEvidence.StageValues(name, values, single));
            }
            return stages;
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or ArgumentOutOfRangeException or OutOfMemoryException)
        {
            // Evidence, not a result: a truncated file only leaves the rounding-level question open.
            return null;
        }
    }
}
