using Repro.Advanced;

namespace Repro.DualTask;

/// <summary>
/// C-MAPSS units to DualTask model inputs: 15 channels (the 14 informative sensors s2, s3, s4, s7,
/// s8, s9, s11, s12, s13, s14, s15, s17, s20, s21, z-scored per operating regime, and the cycle
/// number divided by the longest training life), windows of 30 cycles with stride 1, targets from
/// <see cref="RulLabels"/>.
/// </summary>
/// <remarks>
/// Normalisation statistics and regime centres are fitted on the training split only (not the
/// validation units, not the test set). The validation units are drawn from the training units by the
/// stream <c>RandomStreams.Create(seed, "validation-split")</c>. Test units contribute their last
/// window only, as C-MAPSS is scored on the final cycle of each test unit.
/// </remarks>
public static class CmapssPreprocessing
{
    /// <summary>Sensor numbers (1-based, as in "s11") used as inputs.</summary>
    public static IReadOnlyList<int> InformativeSensors { get; } = Array.AsReadOnly(FeatureScaler.Sensors);

    /// <summary>Input channels per cycle: the informative sensors plus the normalised cycle.</summary>
    public const int Channels = FeatureScaler.Channels;

    /// <summary>Splits, fits the scaler on the training split and windows all three splits.</summary>
    public static PreparedData Prepare(CmapssDataset data, PreprocessingOptions options, long seed) => PrepareRecorded(data, options, seed, null);

    /// <summary>As <see cref="Prepare(CmapssDataset, PreprocessingOptions, long)"/>, handing the fitted statistics (means, standard deviations, cycle scale) to <paramref name="statistics"/>.</summary>
    internal static PreparedData PrepareRecorded(CmapssDataset data, PreprocessingOptions options, long seed, Action<double[]>? statistics)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (trainIndex, validationIndex) = UnitSplit.Split(data.Train.Count, options.ValidationFraction, seed);
        var train = trainIndex.Select(i => data.Train[i]).ToArray();
        var validation = validationIndex.Select(i => data.Train[i]).ToArray();
        var scaler = FeatureScaler.Fit(train);
        statistics?.Invoke(scaler.Statistics());
        return new PreparedData(
            WindowBuilder.Sliding(train, scaler, options),
            WindowBuilder.Sliding(validation, scaler, options),
            WindowBuilder.Last(data.Test, data.TestRul, scaler, options));
    }
}
