using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// One contiguous run of parameter memory and a gradient buffer of the same layout. Each member is a
// parameter at an element offset; a loose chunk is a single parameter that cannot be moved (a view
// into memory a module keeps for itself), held as it is.
internal sealed class FlatChunk : IDisposable
{
    internal readonly record struct Member(int Index, long Offset, long Count, long[] Shape);

    readonly TorchSharp.Modules.Parameter[] _parameters;

    internal FlatChunk(Tensor values, IReadOnlyList<Member> members, TorchSharp.Modules.Parameter[] parameters, bool loose)
    {
        Values = values;
        Members = members;
        Loose = loose;
        _parameters = parameters;
        Gradients = zeros_like(values).DetachFromDisposeScope();
        GradientViews = [.. members.Select(m => ViewOf(Gradients, m).DetachFromDisposeScope())];
    }

    // The parameters' memory: 1-D over the members (with alignment gaps we own), or the loose parameter itself.
    internal Tensor Values { get; }

    internal Tensor Gradients { get; }

    internal IReadOnlyList<Member> Members { get; }

    internal bool Loose { get; }

    // Per member, the gradient tensor each parameter's .grad is made to be.
    internal Tensor[] GradientViews { get; }

    internal Tensor ViewOf(Tensor buffer, Member member) => Loose ? buffer.alias() : buffer.narrow(0, member.Offset, member.Count).view(member.Shape);

    // Makes every present gradient our view (copying one that autograd or the user put there instead)
    // and says which members have a gradient: a parameter without one is skipped, as per tensor.
    internal bool[] AdoptGradients()
    {
        var present = new bool[Members.Count];
        for (var m = 0; m < Members.Count; m++)
        {
            var parameter = _parameters[Members[m].Index];
            using var grad = parameter.grad;
            if (grad is null) continue;
            present[m] = true;
            if (TensorIdentity.Same(grad, GradientViews[m])) continue;
            using (no_grad()) GradientViews[m].copy_(grad);
            parameter.grad = GradientViews[m];
        }
        return present;
    }

    // zero_grad: one kernel for the buffer, and any gradient that is not (yet) our view zeroed as it is.
    internal void ZeroGradients()
    {
        using var noGrad = no_grad();
        Gradients.zero_();
        for (var m = 0; m < Members.Count; m++)
        {
            using var grad = _parameters[Members[m].Index].grad;
            if (grad is not null && !TensorIdentity.Same(grad, GradientViews[m])) grad.zero_();
        }
    }

    public void Dispose()
    {
        foreach (var view in GradientViews) view.Dispose();
        Gradients.Dispose();
        Values.Dispose();
    }
}
