namespace Repro;

/// <summary>
/// One setting that differs between two settings documents (a baseline's config and a run's, or a
/// checkpoint's and a resume's).
/// </summary>
/// <param name="Path">The setting's path in the settings JSON: <c>learningRate</c>, <c>model.dropout</c>, <c>layers[2]</c>.</param>
/// <param name="Before">Its JSON in the first document (the baseline's), null where it is absent there.</param>
/// <param name="After">Its JSON in the second document (this run's), null where it is absent there.</param>
public sealed record SettingChange(string Path, string? Before, string? After)
{
    /// <summary>"learningRate 0.003 -> 0.004"; an added or removed setting shows "(absent)" on its missing side.</summary>
    public override string ToString() => $"{Path} {Before ?? "(absent)"} -> {After ?? "(absent)"}";
}
