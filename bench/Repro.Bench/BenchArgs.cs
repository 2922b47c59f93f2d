namespace Repro.Bench;

// "--name value" options with defaults; benchmarks take few options and need no parser library.
internal sealed class BenchArgs(string[] args)
{
    internal string Get(string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    internal int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);

    internal DualTaskConfig Config() => DualTaskConfigs.Resolve(Get("config", "chapter"));

    internal DeviceRequest Device() => Get("device", "auto") switch
    {
        "cpu" => DeviceRequest.Cpu,
        "cuda" => DeviceRequest.Cuda,
        _ => DeviceRequest.Auto,
    };
}
