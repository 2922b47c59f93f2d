namespace Repro.Native;

// Finds a CUDA libtorch on disk: explicit settings first, then an installed PyTorch's torch/lib.
internal static class LibTorchLocator
{
    internal const string DirVariable = "REPRO_LIBTORCH_DIR";

    internal readonly record struct Located(string? Directory, string Source);

    internal static Located Locate()
    {
        var explicitDir = System.Environment.GetEnvironmentVariable(DirVariable);
        if (!string.IsNullOrWhiteSpace(explicitDir)) return new(Validate(explicitDir, DirVariable), DirVariable);
        if (BuildFacts.LibTorchDir is { } built) return new(Validate(built, "the ReproLibTorchDir build property"), "ReproLibTorchDir");
        foreach (var candidate in PythonTorchLibCandidates())
            if (IsCudaLibTorch(candidate)) return new(candidate, "installed PyTorch");
        return new(null, "none found");
    }

    internal static bool IsCudaLibTorch(string dir) =>
        File.Exists(Path.Combine(dir, "libtorch_cuda.so")) && File.Exists(Path.Combine(dir, "libtorch_cpu.so"));

    static string Validate(string dir, string source)
    {
        if (!Directory.Exists(dir))
            throw new ReproException($"{source} points at '{dir}', which does not exist. Set it to a folder holding libtorch_cpu.so and libtorch_cuda.so (for PyTorch: python3 -c \"import torch, " +
                "os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\"), or unset it to auto-discover an installed PyTorch.");
        if (!IsCudaLibTorch(dir))
            throw new ReproException($"{source} points at '{dir}', which holds no CUDA libtorch (libtorch_cpu.so and libtorch_cuda.so are both required). " +
                "Point it at PyTorch's torch/lib folder or an unpacked CUDA libtorch's lib folder.");
        return Path.GetFullPath(dir);
    }

    static IEnumerable<string> PythonTorchLibCandidates()
    {
        var roots = new List<string>();
        foreach (var prefix in new[] { System.Environment.GetEnvironmentVariable("VIRTUAL_ENV"), System.Environment.GetEnvironmentVariable("CONDA_PREFIX") })
            if (!string.IsNullOrEmpty(prefix)) roots.Add(Path.Combine(prefix, "lib"));
        roots.AddRange(["/usr/local/lib", "/usr/lib", "/opt/conda/lib", Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".local/lib")]);
        foreach (var root in roots.Where(Directory.Exists))
            foreach (var python in SafeDirectories(root, "python3*").Order(StringComparer.Ordinal))
                foreach (var packages in new[] { "site-packages", "dist-packages" })
                    yield return Path.Combine(python, packages, "torch", "lib");
        if (AskPython() is { } fromPython) yield return fromPython;
    }

    static IEnumerable<string> SafeDirectories(string root, string pattern)
    {
        try { return Directory.GetDirectories(root, pattern); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

    // Last resort, for interpreters in unusual places; bounded so a broken python cannot hang us.
    static string? AskPython() => ExternalCommand.TryOutput("python3",
        "-c \"import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\"", TimeSpan.FromSeconds(20));
}
