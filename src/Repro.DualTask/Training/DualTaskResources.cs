namespace Repro.DualTask;

// A config whose data or model cannot fit in memory must be refused before anything is generated or
// allocated: otherwise .NET fails half-way through building windows (or libtorch through allocating
// weights), or the kernel kills the process, minutes in and with no message. The estimates are exact
// for the parameter count and an upper bound for the windows.
internal static class DualTaskResources
{
    // Parameters, gradients, two AdamW moments, the EMA copy and the best-epoch copy.
    const int CopiesPerParameter = 6;

    internal static void Check(DualTaskConfig config)
    {
        var available = (double)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var parameters = Parameters(config.Model);
        var modelBytes = parameters * sizeof(float) * CopiesPerParameter;
        if (modelBytes > available / 2)
            throw new ReproException($"DualTaskConfig.Model has {parameters:N0} parameters ({Gib(modelBytes)} GiB with gradients and optimizer state), " +
                $"more than half of this machine's {Gib(available)} GiB: reduce HiddenSize, LstmLayers or the layer sizes (the chapter's model has {Parameters(DualTaskModelConfig.Chapter):N0}).");

        if (config.Data.CmapssDirectory is not null) return;
        var synthetic = config.Data.Synthetic;
        var preprocessing = config.Data.Preprocessing;
        var windows = (double)synthetic.TrainUnits * (synthetic.MaxLife / (double)preprocessing.Stride + 1) + synthetic.TestUnits;
        var values = windows * preprocessing.WindowLength * CmapssPreprocessing.Channels;
        if (values > Array.MaxLength || values * sizeof(float) > available / 2)
            throw new ReproException($"DualTaskConfig.Data gives up to {windows:N0} windows of {preprocessing.WindowLength} cycles ({Gib(values * sizeof(float))} GiB), " +
                $"more than this machine's memory ({Gib(available)} GiB) or .NET's largest array holds: use fewer Synthetic.TrainUnits, a smaller Synthetic.MaxLife, " +
                "a larger Preprocessing.Stride or a shorter Preprocessing.WindowLength.");
    }

    /// <summary>The parameter count of <see cref="DualTaskModel"/> for these sizes, without building it.</summary>
    internal static double Parameters(DualTaskModelConfig m)
    {
        static double Conv(double input, double output) => input * output * 3 + output + 2 * output; // kernel 3, bias, BatchNorm
        static double Linear(double input, double output) => input * output + output;
        double hidden = m.HiddenSize, direction = m.HiddenSize / 2;
        // Two directions, four gates, two biases; the first layer reads the convolutions, the others the
        // layer below. In closed form, not a loop over layers: LstmLayers can be 2147483647.
        static double LstmLayer(double input, double direction) => 2 * (4 * direction * (input + direction) + 8 * direction);
        var lstm = LstmLayer(m.Conv3Channels, direction) + (m.LstmLayers - 1.0) * LstmLayer(hidden, direction);
        return Conv(m.InputSize, m.Conv1Channels) + Conv(m.Conv1Channels, m.Conv2Channels) + Conv(m.Conv2Channels, m.Conv3Channels)
            + lstm
            + 4 * hidden * hidden + 4 * hidden // attention: in-projection (q, k, v) and out-projection
            + 2 * hidden                       // LayerNorm
            + Linear(hidden, m.FullyConnectedSize) + Linear(m.FullyConnectedSize, m.SharedSize)
            + Linear(m.SharedSize, m.HeadSize) + Linear(m.HeadSize, 1)
            + Linear(m.SharedSize, m.HeadSize) + Linear(m.HeadSize, m.HealthClasses);
    }

    static string Gib(double bytes) => (bytes / (1L << 30)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
