using Repro.Tests.Doctor;

namespace Repro.Tests.Distributed;

// FixedOrderSum's tree on plain floats, level by level: the reference the tensor tree is tested against,
// written the obvious way (new arrays per level) so that it shares no code with the in-place one.
internal static class ScalarTree
{
    internal static float[] Sum(IReadOnlyList<float[]> leaves)
    {
        var level = leaves.ToList();
        while (level.Count > 1)
        {
            var next = new List<float[]>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
            {
                if (i + 1 == level.Count) { next.Add(level[i]); continue; }
                var (a, b) = (level[i], level[i + 1]);
                var sum = new float[a.Length];
                for (var e = 0; e < a.Length; e++) sum[e] = a[e] + b[e];
                next.Add(sum);
            }
            level = next;
        }
        return level[0];
    }
}
