using System.Reflection;
using System.Runtime.Loader;

namespace Repro.Cli;

/// <summary>
/// What a training command trains: a built-in DualTask configuration (<see cref="Config"/> set), or a
/// user's check loaded from an assembly by type name and built with its public parameterless constructor.
/// </summary>
internal sealed record CliCheck(string Name, Func<TrainingCheck> Create, DualTaskConfig? Config)
{
    internal static CliCheck FromConfig(DualTaskConfig config) => new(config.Name, () => new DualTaskCheck(config), config);

    internal static CliCheck FromAssembly(string assemblyPath, string typeName)
    {
        var path = Path.GetFullPath(assemblyPath);
        if (!File.Exists(path))
            throw new ReproException($"--assembly {assemblyPath}: no such file. Pass the path of the built assembly that holds the check (e.g. bin/Debug/net10.0/MyTests.dll).");
        Assembly assembly;
        try
        {
            // Beside the assembly live its dependencies (TorchSharp, Repro): resolve them from there,
            // while Repro itself stays the copy this process already loaded.
            var directory = Path.GetDirectoryName(path)!;
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                File.Exists(Path.Combine(directory, name.Name + ".dll")) ? context.LoadFromAssemblyPath(Path.Combine(directory, name.Name + ".dll")) : null;
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            throw new ReproException($"--assembly {assemblyPath} cannot be loaded as a .NET assembly: {ex.Message}", ex);
        }
        var type = assembly.GetType(typeName, throwOnError: false)
            ?? assembly.GetTypes().SingleOrDefault(t => t.Name == typeName)
            ?? throw new ReproException($"--check {typeName}: no such type in {Path.GetFileName(path)}. Checks there: {Describe(assembly)}.");
        if (!typeof(TrainingCheck).IsAssignableFrom(type) || type.IsAbstract)
            throw new ReproException($"--check {typeName}: {type.FullName} is not a concrete Repro.TrainingCheck. Checks in {Path.GetFileName(path)}: {Describe(assembly)}.");
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new ReproException($"--check {typeName}: {type.FullName} has no public parameterless constructor, so the CLI cannot build it. Add one (it may set the default settings).");
        TrainingCheck Create() => (TrainingCheck)Activator.CreateInstance(type)!;
        using var probe = Create();
        return new CliCheck(probe.Name, Create, null);
    }

    static string Describe(Assembly assembly)
    {
        var names = assembly.GetTypes().Where(t => typeof(TrainingCheck).IsAssignableFrom(t) && !t.IsAbstract).Select(t => t.FullName).ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }
}
