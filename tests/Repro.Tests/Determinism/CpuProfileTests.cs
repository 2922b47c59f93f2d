using System.Text.Json;
using Repro.Xunit;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Determinism;

// The portable CPU profile (issue 22): what it pins, how the doctor sees it, and the bad inputs around it.
[Collection(ReproCollection.Name)]
public sealed class CpuProfileTests
{
    [CpuFact(DisplayName = "Portable sqrt: every float32 result is the correctly rounded square root ((float)Math.Sqrt(double)), which no CPU vendor rounds otherwise")]
    public void Portable_sqrt_is_the_correctly_rounded_result()
    {
        var random = new Random(22);
        var values = new float[100_000];
        for (var i = 0; i < values.Length; i++)
            values[i] = i % 3 == 0 ? BitConverter.Int32BitsToSingle(random.Next(0, 0x7F800000)) : (float)(random.NextDouble() * Math.Pow(10, random.Next(-30, 30)));
        using var x = tensor(values);
        using var root = PortableSqrt.Of(x);
        var actual = root.data<float>().ToArray();
        for (var i = 0; i < values.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits((float)Math.Sqrt(values[i])) == BitConverter.SingleToInt32Bits(actual[i]), $"sqrt({values[i]:R}) = {actual[i]:R}");
        using var wide = tensor(new[] { 2.0, 3.0, 1e-300 });
        Assert.Equal([Math.Sqrt(2), Math.Sqrt(3), Math.Sqrt(1e-300)], PortableSqrt.Of(wide).data<double>().ToArray());
    }

    [CpuFact(DisplayName = "The test run trains under the portable profile: MKL on its compatible path, .NET's SIMD width 256, one vendor-free key")]
    public void The_test_run_is_portable()
    {
        var environment = EnvironmentFingerprint.Capture();
        Assert.Equal(("portable", "compatible", 256), (environment.CpuProfile, environment.MklBranch, environment.ManagedVectorBits));
        Assert.DoesNotContain(environment.CpuVendor ?? "none", environment.Key);
    }

    [Fact(DisplayName = "The CLI started without DOTNET_PreferredVectorBitWidth still trains at 256 bits (it restarts itself with the pin on an AVX-512 machine)")]
    public void The_cli_pins_the_simd_width_itself()
    {
        var (exit, output) = ChildProcess.RunDotNet([CliProcess.CliPath, "env", "--device", "cpu", "--json"],
            environment: e => { e.Remove(CpuProfile.VectorWidthVariable); e["REPRO_DEVICE"] = "cpu"; });
        Assert.True(exit == 0, output);
        using var document = JsonDocument.Parse(output[output.IndexOf('{')..]);
        var json = document.RootElement.GetRawText();
        Assert.Contains("\"managedVectorBits\": 256", json.Replace("\":256", "\": 256"));
        Assert.Contains("cpu-x86-avx2/", json);
    }

    [Fact(DisplayName = "Bad profile inputs are one line naming the variable and the fix: MKL_CBWR other than COMPATIBLE, REPRO_CPU_PROFILE not a profile")]
    public void Bad_profile_inputs_name_the_fix()
    {
        var conflict = Assert.Throws<ReproException>(() => CpuProfile.Validate("AVX2"));
        Assert.Contains("MKL_CBWR=AVX2 is set in the environment, but the portable CPU profile needs MKL_CBWR=COMPATIBLE", conflict.Message);
        Assert.Contains("REPRO_CPU_PROFILE=native", conflict.Message);
        CpuProfile.Validate("compatible");

        using (EnvironmentScope.Workstation((CpuProfile.ProfileVariable, "fast")))
        {
            var wrong = Assert.Throws<ReproException>(() => CpuProfile.FromEnvironment());
            Assert.StartsWith("REPRO_CPU_PROFILE='fast' is not a CPU profile. Use portable", wrong.Message);
            var cli = CliRun.Invoke("env", "--device", "cpu");
            Assert.Equal(4, cli.ExitCode);
            Assert.Contains("REPRO_CPU_PROFILE='fast'", cli.Error);
        }
        using (EnvironmentScope.Workstation((CpuProfile.ProfileVariable, "native")))
            Assert.False(new DeterminismOptions().PortableCpu);
    }

    [Fact(DisplayName = "Settings JSON: the profile appears only when off, so that configs hash as before the profile existed")]
    public void The_profile_is_in_the_settings_only_when_off()
    {
        var on = ReproJson.Serialize(new DeterminismOptions { PortableCpu = true });
        var off = ReproJson.Serialize(new DeterminismOptions { PortableCpu = false });
        Assert.DoesNotContain("portableCpu", on);
        Assert.Contains("\"portableCpu\": false", off);
        Assert.False(ReproJson.Deserialize<DeterminismOptions>(off)!.PortableCpu);
        Assert.True(ReproJson.Deserialize<DeterminismOptions>(on)!.PortableCpu);
    }

    [Fact(DisplayName = "Doctor: a CPU baseline recorded before profiles, or at another SIMD width, is named as such; Repro's own 256-bit pin is no SIMD override")]
    public void The_doctor_names_a_baseline_without_the_profile()
    {
        var now = BaselineFiles.Environment() with { CpuProfile = "portable", MklBranch = "compatible", ManagedVectorBits = 256, CpuArchitecture = "x64" };
        var codes = BaselineEnvironmentDiff.Differences(BaselineFiles.Environment(), now, "b").ToList();
        var profile = Assert.Single(codes, f => f.Code == DoctorCodes.CpuProfileChanged);
        Assert.Contains("recorded before Repro had CPU profiles", profile.What);
        Assert.DoesNotContain(codes, f => f.Code == DoctorCodes.DotNetSimdWidthChanged);
        var wider = BaselineEnvironmentDiff.Differences(now with { ManagedVectorBits = 512 }, now, "b").ToList();
        Assert.Equal([DoctorCodes.DotNetSimdWidthChanged], wider.Select(f => f.Code));
        var cuda = BaselineFiles.Environment("cuda", "NVIDIA H200");
        Assert.Empty(BaselineEnvironmentDiff.Differences(cuda, cuda with { CpuProfile = "portable", ManagedVectorBits = 256 }, "b"));

        var state = Repro.Advanced.Determinism.Read();
        string? Pinned(string name) => name == CpuProfile.VectorWidthVariable ? "256" : null;
        string? Wide(string name) => name == CpuProfile.VectorWidthVariable ? "512" : null;
        Assert.DoesNotContain(EnvironmentAudit.Findings(state, new DeterminismOptions(), Pinned), f => f.Code == DoctorCodes.DotNetSimdOverride);
        Assert.Contains(EnvironmentAudit.Findings(state, new DeterminismOptions(), Wide), f => f.Code == DoctorCodes.DotNetSimdOverride);
        Assert.Contains(EnvironmentAudit.Findings(state, new DeterminismOptions { PortableCpu = false }, Pinned), f => f.Code == DoctorCodes.CpuProfileNative);
    }

    [Fact(DisplayName = "Doctor --perturb includes .NET's SIMD width, set to a width other than this process's")]
    public void The_perturbations_include_the_simd_width()
    {
        var width = Assert.Single(Perturbation.Standard(), p => p.Kind == Perturbation.VectorWidth);
        Assert.NotEqual(CpuProfile.ManagedVectorBits().ToString(System.Globalization.CultureInfo.InvariantCulture), width.Variables[CpuProfile.VectorWidthVariable]);
    }
}
