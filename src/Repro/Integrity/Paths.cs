namespace Repro;

// Real-path containment: a folder under the snapshots root (or a checkpoint folder) may be a symbolic
// link; whatever it resolves to must still lie inside the root, or Repro would write and delete there.
internal static class Paths
{
    internal static bool IsInside(string path, string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        foreach (var candidate in new[] { root, RealDirectory(root) })
        {
            var r = Path.TrimEndingDirectorySeparator(Path.GetFullPath(candidate));
            if (full == r || full.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>The directory itself when it is no link (or does not exist), else its final target.</summary>
    internal static string RealDirectory(string directory)
    {
        var info = new DirectoryInfo(directory);
        if (info.LinkTarget is null) return info.FullName;
        try { return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName; }
        catch (IOException) { return info.FullName; }
    }

    /// <summary>
    /// Refuses <paramref name="path"/> when a folder between <paramref name="root"/> and it is a link that
    /// leaves the root (or cannot be resolved); folders that do not exist yet are fine.
    /// </summary>
    internal static string RequireInside(string path, string root, string what)
    {
        var relative = Path.GetRelativePath(root, Path.GetDirectoryName(Path.GetFullPath(path))!);
        var current = root;
        if (relative == ".") return path;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            var info = new DirectoryInfo(current);
            if (!info.Exists && info.LinkTarget is null) break;
            if (info.LinkTarget is null) continue;
            string target;
            try { target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? current; }
            catch (IOException ex)
            {
                throw new ReproException($"{TerminalText.Escape(current)} is a symbolic link that cannot be resolved ({ex.Message}), e.g. a loop; replace it with a folder before using {what} there.", ex);
            }
            if (!IsInside(target, root))
                throw new ReproException($"{TerminalText.Escape(current)} is a symbolic link to {TerminalText.Escape(target)}, outside {TerminalText.Escape(root)}; " +
                    $"Repro writes and deletes only inside it. Replace the link with a real folder (or point the link inside {TerminalText.Escape(root)}).");
        }
        return path;
    }
}
