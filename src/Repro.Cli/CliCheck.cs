using System.Reflection;
using System.Runtime.Loader;

namespace Repro.Cli;

/// <summary>
/// What a training command trains: a built-in DualTask configuration (<see cref="Config"/> set), or a
/// user's check loaded from an assembly by type name and built with its public parameterless constructor.
/// </summary>
/// <remarks><see cref="Arguments"/> are the options that name a user's check again, for every command Repro prints.</remarks>
internal sealed record CliCheck(string Name, Func<TrainingCheck> Create, DualTaskConfig? Config, IReadOnlyList<string>? Arguments = null)
{
    internal static CliCheck FromConfig(DualTaskConfig config) => new(config.Name, () => new DualTaskCheck(config), config);

    /// <summary>
    /// The baseline (test) name: <paramref name="test"/> when given; for a user's check the name of the test
    /// whose baseline records it (<see cref="BaselineStore.TestOf"/>), so the CLI and the test share one file.
    /// </summary>
    internal string TestIn(BaselineStore store, string? test)
    {
        if (test is not null || Config is not null) return test ?? Name;
        using var probe = Create();
        return store.TestOf(probe);
    }

    /// <summary>The arguments of a printed command that names this check again (empty for a built-in config resumed from its checkpoint).</summary>
    internal string Describe() => Arguments is null ? "" : string.Join(' ', Arguments.Select(Quoted)) + " ";

    internal static string Quoted(string argument) => argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$') ? "\"" + argument.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : argument;

    internal static CliCheck FromAssembly(string assemblyPath, string typeName)
    {
        var (path, assembly) = Load(assemblyPath);
        var type = assembly.GetType(typeName, throwOnError: false)
            ?? assembly.GetTypes().SingleOrDefault(t => t.Name == typeName)
            ?? throw new ReproException($"--check {typeName}: no such type in {Path.GetFileName(path)}. Checks there: {Describe(assembly)}.");
        if (!typeof(TrainingCheck).IsAssignableFrom(type) || type.IsAbstract)
            throw new ReproException($"--check {typeName}: {type.FullName} is not a concrete Repro.TrainingCheck. Checks in {Path.GetFileName(path)}: {Describe(assembly)}.");
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new ReproException($"--check {typeName}: {type.FullName} has no public parameterless constructor, so the CLI cannot build it. Add one (it may set the default settings).");
        return Of(assemblyPath, type);
    }

    /// <summary>Every check in the assembly that the CLI can build (concrete, with a public parameterless constructor).</summary>
    internal static IReadOnlyList<CliCheck> AllIn(string assemblyPath)
    {
        var (_, assembly) = Load(assemblyPath);
        return [.. Buildable(assembly).Select(type => Of(assemblyPath, type))];
    }

    static CliCheck Of(string assemblyPath, Type type)
    {
        TrainingCheck Create() => (TrainingCheck)Activator.CreateInstance(type)!;
        using var probe = Create();
        return new CliCheck(probe.Name, Create, null, ["--assembly", assemblyPath, "--check", type.FullName!]);
    }

    static (string Path, Assembly Assembly) Load(string assemblyPath)
    {
        var path = Path.GetFullPath(assemblyPath);
        if (!File.Exists(path))
            throw new ReproException($"--assembly {assemblyPath}: no such file. Pass the path of the built assembly that holds the check (e.g. bin/Debug/net10.0/MyTests.dll).");
        try
        {
            // Beside the assembly live its dependencies (TorchSharp, Repro): resolve them from there,
            // while Repro itself stays the copy this process already loaded.
            var directory = Path.GetDirectoryName(path)!;
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                File.Exists(Path.Combine(directory, name.Name + ".dll")) ? context.LoadFromAssemblyPath(Path.Combine(directory, name.Name + ".dll")) : null;
            return (path, AssemblyLoadContext.Default.LoadFromAssemblyPath(path));
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            throw new ReproException($"--assembly {assemblyPath} cannot be loaded as a .NET assembly: {ex.Message}", ex);
        }
    }

    static IEnumerable<Type> Buildable(Assembly assembly) =>
        assembly.GetTypes().Where(t => typeof(TrainingCheck).IsAssignableFrom(t) && !t.IsAbstract && t.IsPublic && t.GetConstructor(Type.EmptyTypes) is not null);

    static string Describe(Assembly assembly)
    {
        var names = assembly.GetTypes().Where(t => typeof(TrainingCheck).IsAssignableFrom(t) && !t.IsAbstract).Select(t => t.FullName).ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }
}
