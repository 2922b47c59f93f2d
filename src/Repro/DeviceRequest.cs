namespace Repro;

/// <summary>Where training should run.</summary>
public enum DeviceRequest
{
    /// <summary>REPRO_DEVICE when it is set; otherwise CUDA when a CUDA libtorch and a GPU are available, else CPU.</summary>
    Auto,
    /// <summary>Always the CPU.</summary>
    Cpu,
    /// <summary>CUDA or a clear error saying what is missing.</summary>
    Cuda,
}
