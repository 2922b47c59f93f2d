using System.Security.Cryptography;
using System.Text;

namespace Repro;

// SHA-256 rather than the tensors' xxHash: the digest seals a file against edits, so it must be a
// hash nobody can aim at (xxHash is for speed and accidental damage only).
internal static class ContentDigest
{
    internal const string Prefix = "sha256:";

    internal static string Of(string canonical) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    internal static string Of(ReadOnlySpan<byte> bytes) => Prefix + Convert.ToHexStringLower(SHA256.HashData(bytes));

    internal static string Short(string digest) => digest.Length > Prefix.Length + 12 ? digest[..(Prefix.Length + 12)] : digest;
}
