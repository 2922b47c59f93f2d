namespace Repro.DualTask;

/// <summary>
/// Where the run-to-failure data comes from: the seeded synthetic generator, or real C-MAPSS files.
/// </summary>
public sealed record DataSource
{
    public SyntheticCmapssOptions Synthetic { get; init; } = new();
    /// <summary>Folder holding train_FD00x.txt, test_FD00x.txt and RUL_FD00x.txt; null uses the generator.</summary>
    public string? CmapssDirectory { get; init; }
    public string CmapssSubset { get; init; } = "FD001";
    public PreprocessingOptions Preprocessing { get; init; } = new();

    /// <summary>
    /// The fleet of <see cref="DualTaskConfig.Small"/>: 80 training units (16 of which validate) so that the
    /// model generalises instead of fitting a dozen engines, and every eighth window so that an epoch stays
    /// seconds on two CPU cores (docs/learning.md).
    /// </summary>
    public static DataSource SmallSynthetic { get; } = new()
    {
        Synthetic = new SyntheticCmapssOptions { TrainUnits = 80, TestUnits = 20, MinLife = 128, MaxLife = 200 },
        Preprocessing = new PreprocessingOptions { Stride = 8 },
    };

    /// <summary>
    /// The fleet of <see cref="DualTaskConfig.Chapter"/>: the chapter's generator with 800 training units
    /// (the chapter's 100 are fitted within one epoch by its model) windowed at stride 2 (docs/learning.md).
    /// </summary>
    public static DataSource ChapterSynthetic { get; } = new()
    {
        Synthetic = new SyntheticCmapssOptions { TrainUnits = 800 },
        Preprocessing = new PreprocessingOptions { Stride = 2 },
    };

    internal CmapssDataset Load(long seed) => CmapssDirectory is null
        ? SyntheticCmapss.Generate(seed, Synthetic)
        : CmapssFiles.Load(CmapssDirectory, CmapssSubset);
}
