using CsCheck;

namespace Repro.Tests.Baselines.Tamper;

/// <summary>The file a case damages: a verified baseline, a received file (read as --from does), an artifact zip, a checkpoint manifest or its tensors.</summary>
internal enum TamperTarget { Verified, Received, Zip, Manifest, Tensors }

/// <summary>What is done to it: one byte flipped, one JSON value deleted, nulled or retyped, or the file replaced by a link or a FIFO.</summary>
internal enum Mutation { FlipByte, DeleteField, NullField, ChangeType, Substitute, Fifo }

/// <param name="Target">The file damaged.</param>
/// <param name="Mutation">What is done to it.</param>
/// <param name="Where">Picks the byte or JSON value (modulo their number).</param>
/// <param name="Mask">XORed into the byte.</param>
/// <param name="Variant">The new type (string, number, array, object) or the substitute (a link outside, to /dev/zero, a loop, a folder).</param>
internal sealed record TamperCase(TamperTarget Target, Mutation Mutation, int Where, byte Mask, int Variant)
{
    internal static readonly Gen<TamperCase> Gen = CsCheck.Gen.Select(CsCheck.Gen.Enum<TamperTarget>(), CsCheck.Gen.Enum<Mutation>(), CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Byte[1, 255], CsCheck.Gen.Int[0, 3])
        .Select(t => new TamperCase(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5));
}
