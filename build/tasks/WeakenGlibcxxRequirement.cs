#nullable enable
// Compiled by MSBuild's RoslynCodeTaskFactory (see build/Repro.NativeCompat.targets), so it keeps to
// what that factory's netstandard references offer: no spans, no newer BCL APIs.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32 for one symbol that no relocation
// uses (std::ios_base_library_init). On a libstdc++ without that version (Debian 12, Ubuntu 22.04) the
// loader refuses the library. Marking that single version requirement weak (VER_FLG_WEAK) makes the
// loader accept it while every symbol still binds exactly as before.
public class ReproWeakenGlibcxxRequirement : Task
{
    const uint ShtGnuVerdef = 0x6ffffffd;
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Libraries { get; set; } = new ITaskItem[0];
    [Required] public string Version { get; set; } = "";
    public string SystemLibStdCxx { get; set; } = "";

    [Output] public string Outcome { get; set; } = "";

    public override bool Execute()
    {
        try
        {
            var system = FindSystemLibStdCxx();
            if (system == null)
            {
                Outcome = "no system libstdc++.so.6 found; nothing patched";
                Log.LogMessage(MessageImportance.High, "Repro: " + Outcome + ".");
                return true;
            }
            if (ReadVersionDefinitions(File.ReadAllBytes(system)).Contains(Version))
            {
                Outcome = system + " provides " + Version + "; nothing to patch";
                Log.LogMessage(MessageImportance.Low, "Repro: " + Outcome + ".");
                return true;
            }
            var patched = new List<string>();
            var already = 0;
            foreach (var item in Libraries)
            {
                var path = item.ItemSpec;
                var result = Weaken(path);
                if (result == PatchResult.Patched) patched.Add(path);
                else if (result == PatchResult.AlreadyWeak) already++;
            }
            Outcome = system + " lacks " + Version + ": marked the requirement weak in " + patched.Count +
                      " file(s)" + (already > 0 ? ", " + already + " already weak" : "") +
                      (patched.Count > 0 ? " (" + string.Join(", ", patched) + ")" : "");
            Log.LogMessage(MessageImportance.High, "Repro: " + Outcome + ".");
            return true;
        }
        catch (Exception ex)
        {
            Log.LogError("Repro: could not make libLibTorchSharp.so loadable on this system's libstdc++: " + ex.Message +
                         " Set -p:ReproFixNativeCompat=false to skip this step (TorchSharp will then fail to load here).");
            return false;
        }
    }

    string? FindSystemLibStdCxx()
    {
        if (!string.IsNullOrEmpty(SystemLibStdCxx)) return File.Exists(SystemLibStdCxx) ? SystemLibStdCxx : null;
        foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" })
        {
            var candidate = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    enum PatchResult { NotRequired, AlreadyWeak, Patched }

    PatchResult Weaken(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var result = PatchResult.NotRequired;
        foreach (var aux in EnumerateVersionNeeds(bytes))
        {
            if (aux.Name != Version) continue;
            var flags = BitConverter.ToUInt16(bytes, aux.FlagsOffset);
            if ((flags & VerFlgWeak) != 0) { if (result == PatchResult.NotRequired) result = PatchResult.AlreadyWeak; continue; }
            var weak = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
            bytes[aux.FlagsOffset] = weak[0];
            bytes[aux.FlagsOffset + 1] = weak[1];
            result = PatchResult.Patched;
        }
        if (result != PatchResult.Patched) return result;
        // Temp file + rename: the output copy may be a hard link into the NuGet cache, which must stay untouched.
        var temp = path + ".repro-tmp";
        File.WriteAllBytes(temp, bytes);
        File.Copy(temp, path, true);
        File.Delete(temp);
        return result;
    }

    struct VersionNeed { public string Name; public int FlagsOffset; }

    static IEnumerable<VersionNeed> EnumerateVersionNeeds(byte[] elf)
    {
        foreach (var section in Sections(elf))
        {
            if (section.Type != ShtGnuVerneed) continue;
            var strtab = Sections(elf)[(int)section.Link];
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                var count = BitConverter.ToUInt16(elf, (int)entry + 2);
                long aux = entry + BitConverter.ToUInt32(elf, (int)entry + 8);
                for (int j = 0; j < count; j++)
                {
                    var name = CString(elf, strtab.Offset + BitConverter.ToUInt32(elf, (int)aux + 8));
                    yield return new VersionNeed { Name = name, FlagsOffset = (int)aux + 4 };
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                entry += BitConverter.ToUInt32(elf, (int)entry + 12);
            }
        }
    }

    static HashSet<string> ReadVersionDefinitions(byte[] elf)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in Sections(elf))
        {
            if (section.Type != ShtGnuVerdef) continue;
            var strtab = Sections(elf)[(int)section.Link];
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                long aux = entry + BitConverter.ToUInt32(elf, (int)entry + 12);
                names.Add(CString(elf, strtab.Offset + BitConverter.ToUInt32(elf, (int)aux)));
                entry += BitConverter.ToUInt32(elf, (int)entry + 16);
            }
        }
        return names;
    }

    struct Section { public uint Type; public long Offset; public uint Link; public uint Info; }

    static List<Section> Sections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        var list = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            int h = (int)(shoff + (long)i * shentsize);
            list.Add(new Section
            {
                Type = BitConverter.ToUInt32(elf, h + 4),
                Offset = BitConverter.ToInt64(elf, h + 24),
                Link = BitConverter.ToUInt32(elf, h + 40),
                Info = BitConverter.ToUInt32(elf, h + 44),
            });
        }
        return list;
    }

    static string CString(byte[] data, long offset)
    {
        int end = (int)offset;
        while (data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)offset, end - (int)offset);
    }
}
