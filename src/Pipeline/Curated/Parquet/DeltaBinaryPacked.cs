using System.Buffers;
using System.Numerics;

namespace YouthJustice.Pipeline.Curated.Parquet;

/// <summary>
/// Parquet's DELTA_BINARY_PACKED encoding of integers, for columns whose values hardly repeat but follow each other
/// closely, as a drop's line numbers do: blocks of 128 differences from the previous value, less the block's smallest
/// difference, bit-packed in four miniblocks of 32 at the width each needs. Line numbers one apart take no bits at all.
/// </summary>
internal static class DeltaBinaryPacked
{
    private const int BlockSize = 128, Miniblocks = 4, MiniblockSize = BlockSize / Miniblocks;

    public static void Encode(ReadOnlySpan<int> values, IBufferWriter<byte> output)
    {
        ThriftCompactWriter.UnsignedVarInt(BlockSize, output);
        ThriftCompactWriter.UnsignedVarInt(Miniblocks, output);
        ThriftCompactWriter.UnsignedVarInt((ulong)values.Length, output);
        ThriftCompactWriter.UnsignedVarInt(ZigZag(values.IsEmpty ? 0 : values[0]), output);

        // In the column's own 32-bit arithmetic, wrapping on overflow, as the format says and readers add them back.
        Span<int> deltas = stackalloc int[BlockSize];
        Span<byte> widths = stackalloc byte[Miniblocks];
        for (var start = 1; start < values.Length; start += BlockSize)
        {
            var count = Math.Min(BlockSize, values.Length - start);
            var min = int.MaxValue;
            for (var k = 0; k < count; k++)
            {
                deltas[k] = unchecked(values[start + k] - values[start + k - 1]);
                min = Math.Min(min, deltas[k]);
            }
            ThriftCompactWriter.UnsignedVarInt(ZigZag(min), output);

            // A last block's miniblocks with no values keep their width byte (zero) but have no body.
            var used = (count + MiniblockSize - 1) / MiniblockSize;
            for (var m = 0; m < Miniblocks; m++)
            {
                uint all = 0;
                for (var k = m * MiniblockSize; k < Math.Min(count, (m + 1) * MiniblockSize); k++)
                    all |= unchecked((uint)(deltas[k] - min));
                widths[m] = m < used ? (byte)(32 - BitOperations.LeadingZeroCount(all)) : (byte)0;
            }
            output.Write(widths);
            for (var m = 0; m < used; m++) Pack(deltas, m * MiniblockSize, count, min, widths[m], output);
        }
    }

    /// <summary>One miniblock: 32 values of <paramref name="width"/> bits, padded with zeros.</summary>
    private static void Pack(ReadOnlySpan<int> deltas, int from, int count, int min, int width, IBufferWriter<byte> output)
    {
        if (width == 0) return;
        Span<uint> miniblock = stackalloc uint[MiniblockSize];
        var n = Math.Clamp(count - from, 0, MiniblockSize);
        for (var k = 0; k < n; k++) miniblock[k] = unchecked((uint)(deltas[from + k] - min));
        RleBitPackedHybrid.BitPack(miniblock[..n], MiniblockSize, width, output);
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
