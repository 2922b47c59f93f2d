using System.Collections;

namespace Repro;

/// <summary>
/// Named metric values in the order they were added (an epoch's losses and scores, or the final
/// metrics). Compared exactly against the baseline unless a tolerance is declared for a name.
/// </summary>
public sealed class Metrics : IReadOnlyDictionary<string, double>
{
    readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    readonly List<string> _order = [];

    /// <summary>No metrics.</summary>
    public static Metrics Empty { get; } = new();

    /// <summary>Adds a metric; each name once.</summary>
    public double this[string name]
    {
        get => _values[name];
        set
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ReproException("A metric name must not be empty.");
            if (ReferenceEquals(this, Empty)) throw new ReproException("Metrics.Empty cannot be changed; create new Metrics().");
            if (!_values.TryAdd(name, value)) throw new ReproException($"Metric '{name}' was set twice in one epoch; give each metric one value.");
            _order.Add(name);
        }
    }

    /// <summary>Builds metrics from name/value pairs, in order.</summary>
    public static Metrics From(IEnumerable<KeyValuePair<string, double>> values)
    {
        var metrics = new Metrics();
        foreach (var (name, value) in values) metrics[name] = value;
        return metrics;
    }

    /// <summary>Metric names in the order they were added.</summary>
    public IEnumerable<string> Keys => _order;

    /// <inheritdoc />
    public IEnumerable<double> Values => _order.Select(n => _values[n]);

    /// <inheritdoc />
    public int Count => _order.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out double value) => _values.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => _order.Select(n => new KeyValuePair<string, double>(n, _values[n])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
