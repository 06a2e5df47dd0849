using System.Buffers;
using System.Numerics;

namespace YouthJustice.Pipeline.Curated.Parquet;

/// <summary>
/// Parquet's RLE / bit-packed hybrid encoding, used for definition levels and dictionary indices: a run of eight or more
/// equal values is one repeated value; anything else is bit-packed in groups of eight. A bit-packed block is a whole
/// number of groups, so it may take the first values of a run that follows it; only the last block of all is padded.
/// </summary>
internal static class RleBitPackedHybrid
{
    // Readers such as parquet-mr keep a bit-packed run's header to one byte: at most 63 groups of eight.
    private const int MaxPackedValues = 63 * 8;

    /// <summary>The bits needed for values 0 … <paramref name="largest"/> (at least one).</summary>
    public static int BitWidth(int largest) => Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)largest));

    public static void Encode<T>(ReadOnlySpan<T> values, int bitWidth, IBufferWriter<byte> output) where T : unmanaged, IBinaryInteger<T>
    {
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i, int.MaxValue);
            if (run >= 8)
            {
                Repeated(int.CreateTruncating(values[i]), run, bitWidth, output);
                i += run;
                continue;
            }
            var j = i;
            while (j < values.Length && j - i < MaxPackedValues)
            {
                var r = RunLength(values, j, 8);
                if (r >= 8) break;
                j += r;
            }
            var count = Math.Min((j - i + 7) & ~7, MaxPackedValues);
            var end = Math.Min(i + count, values.Length);
            Packed(values[i..end], count / 8, bitWidth, output);
            i = end;
        }
    }

    /// <summary>One run of <paramref name="count"/> copies of <paramref name="value"/>.</summary>
    private static void Repeated(int value, int count, int bitWidth, IBufferWriter<byte> output)
    {
        VarInt((uint)count << 1, output);
        var bytes = (bitWidth + 7) / 8;
        var span = output.GetSpan(bytes);
        for (var b = 0; b < bytes; b++) span[b] = (byte)(value >> (8 * b));
        output.Advance(bytes);
    }

    private static int RunLength<T>(ReadOnlySpan<T> values, int start, int cap) where T : unmanaged, IBinaryInteger<T>
    {
        var first = values[start];
        var n = 1;
        while (n < cap && start + n < values.Length && values[start + n] == first) n++;
        return n;
    }

    private static void Packed<T>(ReadOnlySpan<T> values, int groups, int bitWidth, IBufferWriter<byte> output)
        where T : unmanaged, IBinaryInteger<T>
    {
        VarInt((uint)groups << 1 | 1, output);
        Span<uint> run = stackalloc uint[MaxPackedValues];
        for (var k = 0; k < values.Length; k++) run[k] = uint.CreateTruncating(values[k]);
        // The last block of a page is padded with zeros up to a whole group.
        BitPack(run[..values.Length], groups * 8, bitWidth, output);
    }

    /// <summary>
    /// Parquet's bit-packing: each value in <paramref name="width"/> bits, the first in the lowest bits, taking the room of
    /// <paramref name="slots"/> values (a multiple of eight), with zeros after the last value.
    /// </summary>
    public static void BitPack(ReadOnlySpan<uint> values, int slots, int width, IBufferWriter<byte> output)
    {
        var length = slots * width / 8;
        var span = output.GetSpan(length);
        ulong bits = 0;
        var held = 0;
        var at = 0;
        for (var k = 0; k < slots; k++)
        {
            bits |= (ulong)(k < values.Length ? values[k] : 0) << held;
            held += width;
            while (held >= 8)
            {
                span[at++] = (byte)bits;
                bits >>= 8;
                held -= 8;
            }
        }
        output.Advance(length);
    }

    private static void VarInt(uint value, IBufferWriter<byte> output) => ThriftCompactWriter.UnsignedVarInt(value, output);
}
