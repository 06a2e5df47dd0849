using System.Buffers;
using System.Text;

namespace YouthJustice.Pipeline.Curated.Parquet;

/// <summary>
/// The Thrift compact protocol, as much of it as Parquet's page headers and footer use: structs of i32, i64, bool, i8,
/// binary and string fields, and lists. Field ids are written as deltas from the previous field of the same struct, which
/// is why a nested struct saves and restores the last id.
/// </summary>
internal sealed class ThriftCompactWriter(IBufferWriter<byte> output)
{
    private const byte BoolTrue = 1, BoolFalse = 2, ByteType = 3, I32Type = 5, I64Type = 6, BinaryType = 8, ListType = 9, StructType = 12;
    private readonly Stack<short> _outer = new();
    private short _lastId;

    public void I32(short id, int value)
    {
        Header(id, I32Type);
        VarInt(ZigZag(value));
    }

    public void I64(short id, long value)
    {
        Header(id, I64Type);
        VarInt(ZigZag(value));
    }

    public void I8(short id, sbyte value)
    {
        Header(id, ByteType);
        Raw((byte)value);
    }

    public void Bool(short id, bool value) => Header(id, value ? BoolTrue : BoolFalse);

    public void String(short id, string value)
    {
        Header(id, BinaryType);
        StringValue(value);
    }

    public void Bytes(short id, ReadOnlySpan<byte> value)
    {
        Header(id, BinaryType);
        VarInt((ulong)value.Length);
        output.Write(value);
    }

    /// <summary>Opens a struct-valued field; close it with <see cref="EndStruct"/>.</summary>
    public void BeginStruct(short id)
    {
        Header(id, StructType);
        BeginStructValue();
    }

    /// <summary>Opens a struct that is a list element (or the top-level struct): no field header.</summary>
    public void BeginStructValue()
    {
        _outer.Push(_lastId);
        _lastId = 0;
    }

    public void EndStruct()
    {
        Raw(0);
        _lastId = _outer.Pop();
    }

    public void EmptyStruct(short id)
    {
        BeginStruct(id);
        EndStruct();
    }

    public void BeginStructList(short id, int count) => ListHeader(id, StructType, count);

    public void I32List(short id, ReadOnlySpan<int> values)
    {
        ListHeader(id, I32Type, values.Length);
        foreach (var v in values) VarInt(ZigZag(v));
    }

    public void StringList(short id, IReadOnlyList<string> values)
    {
        ListHeader(id, BinaryType, values.Count);
        foreach (var v in values) StringValue(v);
    }

    private void ListHeader(short id, byte elementType, int count)
    {
        Header(id, ListType);
        if (count < 15) Raw((byte)(count << 4 | elementType));
        else
        {
            Raw((byte)(0xF0 | elementType));
            VarInt((ulong)count);
        }
    }

    private void StringValue(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        VarInt((ulong)length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }

    private void Header(short id, byte type)
    {
        var delta = id - _lastId;
        if (delta is > 0 and <= 15) Raw((byte)(delta << 4 | type));
        else
        {
            Raw(type);
            VarInt(ZigZag(id));
        }
        _lastId = id;
    }

    private void Raw(byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private void VarInt(ulong value) => UnsignedVarInt(value, output);

    /// <summary>ULEB128, as Thrift writes integers and lengths and Parquet writes the headers of its hybrid runs.</summary>
    public static void UnsignedVarInt(ulong value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
