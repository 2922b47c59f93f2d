using System.Text.Json.Nodes;
using Repro.Tests.Integrity;

namespace Repro.Tests.Baselines.Tamper;

// Applies one mutation to one file. JSON mutations need a JSON file: on the tensors file (binary) they
// fall back to a byte flip, so every case damages something.
internal static class Tamperer
{
    internal static void Apply(string path, TamperCase c, string outside)
    {
        switch (c.Mutation)
        {
            case Mutation.FlipByte: Flip(path, c); break;
            case Mutation.Substitute: Substitute(path, c.Variant, outside); break;
            case Mutation.Fifo:
                File.Delete(path);
                IntegrityFiles.MakeFifo(path);
                break;
            default:
                if (c.Target == TamperTarget.Tensors) Flip(path, c);
                else if (c.Target == TamperTarget.Zip) EditEntries(path, c);
                else File.WriteAllText(path, EditJson(File.ReadAllText(path), c));
                break;
        }
    }

    static void Flip(string path, TamperCase c)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[c.Where % bytes.Length] ^= c.Mask;
        File.WriteAllBytes(path, bytes);
    }

    // The zip stays a valid zip (CRCs rewritten): the JSON inside is what is damaged.
    static void EditEntries(string path, TamperCase c)
    {
        using var archive = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update);
        var entry = archive.Entries[0];
        string text;
        using (var reader = new StreamReader(entry.Open())) text = reader.ReadToEnd();
        var name = entry.FullName;
        entry.Delete();
        using var writer = new StreamWriter(archive.CreateEntry(name).Open());
        writer.Write(EditJson(text, c));
    }

    static string EditJson(string text, TamperCase c)
    {
        var root = JsonNode.Parse(text)!;
        var slots = new List<(JsonNode Parent, string? Name, int Index)>();
        Collect(root, slots);
        var (parent, name, index) = slots[c.Where % slots.Count];
        JsonNode? value = c.Mutation == Mutation.NullField ? null : c.Variant switch
        {
            0 => JsonValue.Create("x"),
            1 => JsonValue.Create(12345),
            2 => new JsonArray(),
            _ => new JsonObject(),
        };
        if (parent is JsonObject o)
        {
            if (c.Mutation == Mutation.DeleteField) o.Remove(name!);
            else o[name!] = value;
        }
        else
        {
            var a = (JsonArray)parent;
            if (c.Mutation == Mutation.DeleteField) a.RemoveAt(index);
            else a[index] = value;
        }
        return root.ToJsonString(ReproJson.Options);
    }

    static void Collect(JsonNode node, List<(JsonNode, string?, int)> slots)
    {
        if (node is JsonObject o)
            foreach (var (name, child) in o.ToList())
            {
                slots.Add((o, name, -1));
                if (child is not null) Collect(child, slots);
            }
        else if (node is JsonArray a)
            for (var i = 0; i < a.Count; i++)
            {
                slots.Add((a, null, i));
                if (a[i] is { } child) Collect(child, slots);
            }
    }

    static void Substitute(string path, int variant, string outside)
    {
        var copy = Path.Combine(outside, "copy-of-" + Path.GetFileName(path));
        File.Copy(path, copy, overwrite: true);
        File.Delete(path);
        switch (variant)
        {
            case 0: File.CreateSymbolicLink(path, copy); break;
            case 1: File.CreateSymbolicLink(path, "/dev/zero"); break;
            case 2:
                File.CreateSymbolicLink(path, path + ".loop");
                File.CreateSymbolicLink(path + ".loop", path);
                break;
            default: Directory.CreateDirectory(path); break;
        }
    }
}
