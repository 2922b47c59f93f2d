
namespace Repro.Tests.Support;

/// <summary>A throw-away snapshots folder.</summary>
internal sealed class TempSnapshots : IDisposable
{
    internal TempSnapshots()
    {
        Root = Path.Combine(Path.GetTempPath(), "repro-snapshots-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Store = new BaselineStore(Root);
    }

    internal string Root { get; }

    internal BaselineStore Store { get; }

    internal void Write(BaselineFile file, string suffix = BaselineStore.VerifiedSuffix)
    {
        var path = Path.Combine(Root, file.Key, file.Test + suffix);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, ReproJson.Serialize(file));
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
