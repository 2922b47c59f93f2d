using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// Forward hooks on every submodule of any model, for the doctor's step trace: each module's output
// hash, and the hash of what it was called with, so a divergence names the first module whose
// inputs matched and whose output did not. TorchSharp types its hooks by the module's forward
// signature (Module<T, TResult>, Module<T1, T2, TResult>, ...), so the delegates are built per type.
internal sealed class ModuleHooks : IDisposable
{
    /// <summary>The name the root module's entries carry.</summary>
    internal const string Root = "(model)";

    readonly List<Action> _removers = [];

    ModuleHooks() { }

    /// <summary>Hooks every module that exposes forward hooks with the hashes of its inputs and output; the root is named "(model)".</summary>
    internal static ModuleHooks Install(nn.Module model, Action<string, string, string> record)
    {
        var inputs = new Stack<string>();
        return Install(model, (_, args) => inputs.Push(HashOf(args)), (name, output) => record(name, inputs.TryPop(out var input) ? input : "", HashOf([output])));
    }

    /// <summary>
    /// Hooks every module that exposes forward hooks with what it was called with (every argument but the
    /// module) and what it returned; the root is named "(model)".
    /// </summary>
    internal static ModuleHooks Install(nn.Module model, Action<string, object?[]> called, Action<string, object?> returned)
    {
        var hooks = new ModuleHooks();
        hooks.Hook(model, Root, called, returned);
        foreach (var (name, module) in model.named_modules())
            if (!ReferenceEquals(module, model)) hooks.Hook(module, name, called, returned);
        return hooks;
    }

    /// <summary>Hooks only the root module with what it is called with: no hook runs in the submodules' forward passes.</summary>
    internal static ModuleHooks InstallOnRoot(nn.Module model, Action<object?[]> called)
    {
        var hooks = new ModuleHooks();
        hooks.Hook(model, Root, (_, args) => called(args), returned: null);
        return hooks;
    }

    // Without returned, only the pre-hook is registered.
    void Hook(nn.Module module, string name, Action<string, object?[]> called, Action<string, object?>? returned)
    {
        var hookable = HookableBase(module.GetType());
        if (hookable is null) return;
        var (pre, post) = (hookable.GetGenericArguments()[0], hookable.GetGenericArguments()[1]);
        var registerPre = hookable.GetMethod("register_forward_pre_hook", [pre]);
        var registerPost = hookable.GetMethod("register_forward_hook", [post]);
        if (registerPre is null || registerPost is null) return;
        var preRemover = registerPre.Invoke(module, [Delegate(pre, args => called(name, args))]);
        _removers.Add(() => Remove(preRemover));
        if (returned is null) return;
        var postRemover = registerPost.Invoke(module, [Delegate(post, args => returned(name, args[^1]))]);
        _removers.Add(() => Remove(postRemover));
    }

    /// <summary>The tensors anywhere in <paramref name="values"/> (tuples included), in order; other values are left out.</summary>
    internal static IEnumerable<Tensor> TensorsIn(IEnumerable<object?> values) => values.SelectMany(TensorsOf);

    static IEnumerable<Tensor> TensorsOf(object? value)
    {
        switch (value)
        {
            case Tensor tensor when !tensor.IsInvalid:
                yield return tensor;
                break;
            case ITuple tuple:
                for (var i = 0; i < tuple.Length; i++)
                    foreach (var tensor in TensorsOf(tuple[i])) yield return tensor;
                break;
        }
    }

    static Type? HookableBase(Type? type)
    {
        for (; type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(nn.HookableModule<,>)) return type;
        return null;
    }

    // A delegate of the hook's exact Func type that hands every argument but the module to the
    // callback and leaves the input/output unchanged: it returns the value it was given where the
    // return type is that of an argument (a value-type result such as a tuple replaces the original
    // whenever it is returned, even as default), and null otherwise.
    static Delegate Delegate(Type funcType, Action<object?[]> callback)
    {
        var invoke = funcType.GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToList();
        var values = Expression.NewArrayInit(typeof(object), parameters.Skip(1).Select(p => Expression.Convert(p, typeof(object))));
        var unchanged = (Expression?)parameters.Skip(1).LastOrDefault(p => p.Type == invoke.ReturnType) ?? Expression.Default(invoke.ReturnType);
        var body = Expression.Block(
            Expression.Invoke(Expression.Constant(callback), values),
            unchanged);
        return Expression.Lambda(funcType, body, parameters).Compile();
    }

    static string HashOf(object?[] values)
    {
        var hashes = TensorsIn(values).Select(TensorHasher.Hash).ToList();
        return hashes.Count == 1 ? hashes[0] : TensorHasher.HashBytes(System.Text.Encoding.ASCII.GetBytes(string.Join(",", hashes)));
    }

    static void Remove(object? remover) => remover?.GetType().GetMethod("remove", BindingFlags.Public | BindingFlags.Instance)?.Invoke(remover, null);

    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }
}
