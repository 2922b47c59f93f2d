
namespace Repro.Tests.Doctor;

// The doctor on a DualTask config, as the catalogue's tests call it.
internal static class DualTaskDoctor
{
    internal static DoctorReport Diagnose(DualTaskConfig config, DoctorOptions? options = null) =>
        Repro.Doctor.Diagnose(() => new DualTaskCheck(config), options);
}
