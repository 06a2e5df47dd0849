using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Snappier;

namespace YouthJustice.Pipeline.Curated.Parquet;

/// <summary>
/// Writes a curated Parquet file from <see cref="CuratedColumn"/> buffers, one row group at a time, reusing its scratch
/// buffers from one row group to the next, so encoding millions of rows allocates next to nothing. Every column is
/// optional (definition levels, RLE), one data page per column chunk, Snappy-compressed. Text, dates and integers are
/// dictionary-encoded while the dictionary stays small against the row group (a pupil's pseudonym, a session date, an
/// attendance code); otherwise text is plain and integers are delta-encoded (a line number takes no bits). Numbers and
/// flags are plain.
/// </summary>
/// <remarks>
/// The gate stages every accepted row through here, so the general-purpose writer's costs (per-value statistics and
/// conversions, new buffers per column per row group, generic code compiled on first use) were most of a large drop's
/// time; see the README's benchmark. Parquet.Net still reads these files, as DuckDB and Power BI do, and writes the
/// few small files of the rest of the pipeline.
/// </remarks>
internal sealed class CuratedParquetWriter
{
    private const int Plain = 0, Rle = 3, DeltaBinaryPackedEncoding = 5, RleDictionary = 8;
    private const int DataPage = 0, DictionaryPage = 2;
    private const int Snappy = 1;
    // Longer text in a dictionary is free text, not a code or a pseudonym; min/max statistics are kept short too.
    private const int DictionaryChars = 1 << 19;
    private const int LongestStatistic = 64;
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private readonly Stream _stream;
    private readonly IReadOnlyList<(string Name, ColumnKind Kind)> _layout;
    private readonly List<(ChunkInfo[] Chunks, int Rows)> _rowGroups = [];
    private readonly ArrayBufferWriter<byte> _levels = new(1 << 12);
    private readonly ArrayBufferWriter<byte> _values = new(1 << 16);
    private readonly ArrayBufferWriter<byte> _dictionary = new(1 << 12);
    private readonly ArrayBufferWriter<byte> _page = new(1 << 16);
    private readonly ArrayBufferWriter<byte> _header = new(256);
    private readonly ThriftCompactWriter _thrift;
    private readonly Dictionary<string, int> _textEntries = new(StringComparer.Ordinal);
    private readonly List<string> _textList = [];
    private readonly Dictionary<int, int> _intEntries = [];
    private readonly List<int> _intList = [];
    private byte[] _compressed = [];
    private int[] _indices = [];
    private long _position;

    public CuratedParquetWriter(Stream stream, IReadOnlyList<(string Name, ColumnKind Kind)> layout)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Parquet values are written little-endian.");
        _stream = stream;
        _layout = layout;
        _thrift = new ThriftCompactWriter(_header);
        _stream.Write(Magic);
        _position = Magic.Length;
    }

    public void WriteRowGroup(IReadOnlyList<CuratedColumn> columns, int rows, CancellationToken cancellationToken)
    {
        var chunks = new ChunkInfo[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            chunks[i] = WriteChunk(columns[i], rows);
        }
        _rowGroups.Add((chunks, rows));
    }

    /// <summary>Writes the footer: schema, row groups, statistics and <paramref name="metadata"/>.</summary>
    public void Finish(IReadOnlyDictionary<string, string> metadata)
    {
        _header.ResetWrittenCount();
        var t = _thrift;
        t.BeginStructValue();
        t.I32(1, 1);
        t.BeginStructList(2, _layout.Count + 1);
        t.BeginStructValue();
        t.String(4, "root");
        t.I32(5, _layout.Count);
        t.EndStruct();
        foreach (var (name, kind) in _layout) SchemaElement(t, name, kind);
        t.I64(3, _rowGroups.Sum(g => (long)g.Rows));
        t.BeginStructList(4, _rowGroups.Count);
        foreach (var (chunks, rows) in _rowGroups)
        {
            t.BeginStructValue();
            t.BeginStructList(1, chunks.Length);
            foreach (var c in chunks) ColumnChunk(t, c);
            t.I64(2, chunks.Sum(c => c.Uncompressed));
            t.I64(3, rows);
            t.I64(5, chunks[0].Start);
            t.I64(6, chunks.Sum(c => c.Compressed));
            t.EndStruct();
        }
        t.BeginStructList(5, metadata.Count);
        foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            t.BeginStructValue();
            t.String(1, key);
            t.String(2, value);
            t.EndStruct();
        }
        t.String(6, "YouthJustice.Pipeline");
        // Statistics follow each type's own order (signed integers, bytes of text compared unsigned).
        t.BeginStructList(7, _layout.Count);
        for (var i = 0; i < _layout.Count; i++)
        {
            t.BeginStructValue();
            t.EmptyStruct(1);
            t.EndStruct();
        }
        t.EndStruct();

        _stream.Write(_header.WrittenSpan);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, _header.WrittenCount);
        _stream.Write(length);
        _stream.Write(Magic);
    }

    private static void SchemaElement(ThriftCompactWriter t, string name, ColumnKind kind)
    {
        t.BeginStructValue();
        t.I32(1, PhysicalType(kind));
        t.I32(3, 1); // optional: every curated column may be empty
        t.String(4, name);
        switch (kind)
        {
            case ColumnKind.Text:
                t.I32(6, 0); // UTF8
                t.BeginStruct(10);
                t.EmptyStruct(1); // STRING
                t.EndStruct();
                break;
            case ColumnKind.Date:
                t.I32(6, 6); // DATE
                t.BeginStruct(10);
                t.EmptyStruct(6); // DATE
                t.EndStruct();
                break;
            case ColumnKind.Integer:
                t.I32(6, 17); // INT_32
                t.BeginStruct(10);
                t.BeginStruct(10); // INTEGER
                t.I8(1, 32);
                t.Bool(2, true);
                t.EndStruct();
                t.EndStruct();
                break;
        }
        t.EndStruct();
    }

    private static void ColumnChunk(ThriftCompactWriter t, ChunkInfo c)
    {
        t.BeginStructValue();
        t.I64(2, c.Start);
        t.BeginStruct(3);
        t.I32(1, PhysicalType(c.Kind));
        t.I32List(2, c.Encoding == RleDictionary ? [Plain, Rle, RleDictionary] : [Rle, c.Encoding]);
        t.StringList(3, [c.Name]);
        t.I32(4, Snappy);
        t.I64(5, c.Rows);
        t.I64(6, c.Uncompressed);
        t.I64(7, c.Compressed);
        t.I64(9, c.DataOffset);
        if (c.DictionaryOffset is { } dictionary) t.I64(11, dictionary);
        t.BeginStruct(12);
        t.I64(3, c.Nulls);
        if (c.Max is not null && c.Min is not null)
        {
            t.Bytes(5, c.Max);
            t.Bytes(6, c.Min);
        }
        t.EndStruct();
        t.EndStruct();
        t.EndStruct();
    }

    private static int PhysicalType(ColumnKind kind) => kind switch
    {
        ColumnKind.Flag => 0, // BOOLEAN
        ColumnKind.Number => 5, // DOUBLE
        ColumnKind.Text => 6, // BYTE_ARRAY
        _ => 1, // INT32
    };

    private ChunkInfo WriteChunk(CuratedColumn column, int rows)
    {
        var defined = column.Defined(rows);
        var present = defined.Count((byte)1);
        var chunk = new ChunkInfo { Name = column.Name, Kind = column.Kind, Rows = rows, Nulls = rows - present, Start = _position };

        _levels.ResetWrittenCount();
        RleBitPackedHybrid.Encode(defined, 1, _levels);

        _values.ResetWrittenCount();
        var encoding = Plain;
        switch (column.Kind)
        {
            case ColumnKind.Text:
                if (present > 0 && TextDictionary(column.Text(rows), defined, present, chunk))
                {
                    chunk.DictionaryOffset = _position;
                    WritePage(DictionaryPage, _dictionary.WrittenSpan, _textList.Count, chunk);
                    Indices(present, _textList.Count);
                    encoding = RleDictionary;
                }
                else PlainText(column.Text(rows), defined, chunk);
                break;
            case ColumnKind.Date or ColumnKind.Integer:
                if (present > 0 && IntegerDictionary(column.Integers(rows), defined, present, chunk))
                {
                    chunk.DictionaryOffset = _position;
                    WritePage(DictionaryPage, _dictionary.WrittenSpan, _intList.Count, chunk);
                    Indices(present, _intList.Count);
                    encoding = RleDictionary;
                }
                else if (present > 0)
                {
                    DeltaIntegers(column.Integers(rows), defined, present == rows, chunk);
                    encoding = DeltaBinaryPackedEncoding;
                }
                break;
            case ColumnKind.Number:
                PlainNumbers(column.Numbers(rows), defined);
                break;
            default:
                PlainFlags(column.Integers(rows), defined);
                break;
        }

        chunk.DataOffset = _position;
        chunk.Encoding = encoding;
        WriteDataPage(rows, encoding, chunk);
        return chunk;
    }

    /// <summary>Numbers each distinct text and writes the dictionary page's values; false when the text hardly repeats.</summary>
    private bool TextDictionary(ReadOnlySpan<string?> values, ReadOnlySpan<byte> defined, int present, ChunkInfo chunk)
    {
        _textEntries.Clear();
        _textList.Clear();
        if (_indices.Length < present) _indices = new int[Math.Max(present, 1024)];
        var limit = Math.Max(1024, present / 2);
        long chars = 0;
        string? last = null;
        var lastIndex = 0;
        var k = 0;
        for (var r = 0; r < values.Length; r++)
        {
            if (defined[r] == 0) continue;
            var s = values[r]!;
            // Rows of one pupil follow each other: the same pseudonym instance, row after row, needs no lookup.
            if (!ReferenceEquals(s, last))
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_textEntries, s, out var exists);
                if (!exists)
                {
                    slot = _textList.Count;
                    _textList.Add(s);
                    chars += s.Length;
                    if (_textList.Count > limit || chars > DictionaryChars) return false;
                }
                last = s;
                lastIndex = slot;
            }
            _indices[k++] = lastIndex;
        }

        _dictionary.ResetWrittenCount();
        var statistics = new TextStatistics();
        foreach (var s in _textList) statistics.Add(PlainString(s, _dictionary), _dictionary);
        statistics.Set(chunk, _dictionary);
        return true;
    }

    private void PlainText(ReadOnlySpan<string?> values, ReadOnlySpan<byte> defined, ChunkInfo chunk)
    {
        var statistics = new TextStatistics();
        for (var r = 0; r < values.Length; r++)
            if (defined[r] != 0) statistics.Add(PlainString(values[r]!, _values), _values);
        statistics.Set(chunk, _values);
    }

    /// <summary>A byte array as PLAIN writes it: its length, then its bytes. Returns where the bytes start.</summary>
    private static int PlainString(string s, ArrayBufferWriter<byte> output)
    {
        var span = output.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(s.Length));
        var length = Encoding.UTF8.GetBytes(s, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        output.Advance(4 + length);
        return output.WrittenCount - length;
    }

    private bool IntegerDictionary(ReadOnlySpan<int> values, ReadOnlySpan<byte> defined, int present, ChunkInfo chunk)
    {
        _intEntries.Clear();
        _intList.Clear();
        if (_indices.Length < present) _indices = new int[Math.Max(present, 1024)];
        // Integers that repeat (dates, ages, codes) have few values in a row group; past 1,024 they are differences
        // (line numbers) or plain values, which cost little more than a dictionary would. A limit of half the rows hashed
        // eight thousand line numbers per row group before giving up, in a table too large for the young generation.
        const int limit = 1024;
        int min = int.MaxValue, max = int.MinValue;
        var last = 0;
        var lastIndex = -1;
        var k = 0;
        for (var r = 0; r < values.Length; r++)
        {
            if (defined[r] == 0) continue;
            var v = values[r];
            if (v != last || lastIndex < 0)
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_intEntries, v, out var exists);
                if (!exists)
                {
                    slot = _intList.Count;
                    _intList.Add(v);
                    if (_intList.Count > limit) return false;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
                last = v;
                lastIndex = slot;
            }
            _indices[k++] = lastIndex;
        }

        _dictionary.ResetWrittenCount();
        _dictionary.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_intList)));
        SetStatistics(chunk, min, max);
        return true;
    }

    /// <summary>Integers that hardly repeat (line numbers): their differences, which for a drop's lines are all one.</summary>
    private void DeltaIntegers(ReadOnlySpan<int> values, ReadOnlySpan<byte> defined, bool full, ChunkInfo chunk)
    {
        if (!full)
        {
            if (_indices.Length < values.Length) _indices = new int[Math.Max(values.Length, 1024)];
            var k = 0;
            for (var r = 0; r < values.Length; r++)
                if (defined[r] != 0) _indices[k++] = values[r];
            values = _indices.AsSpan(0, k);
        }
        DeltaBinaryPacked.Encode(values, _values);
        if (values.IsEmpty) return;
        int min = int.MaxValue, max = int.MinValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        SetStatistics(chunk, min, max);
    }

    private void PlainNumbers(ReadOnlySpan<double> values, ReadOnlySpan<byte> defined)
    {
        for (var r = 0; r < values.Length; r++)
        {
            if (defined[r] == 0) continue;
            BinaryPrimitives.WriteDoubleLittleEndian(_values.GetSpan(8), values[r]);
            _values.Advance(8);
        }
    }

    /// <summary>PLAIN booleans: one bit per value, first value in the lowest bit.</summary>
    private void PlainFlags(ReadOnlySpan<int> values, ReadOnlySpan<byte> defined)
    {
        var bits = 0;
        var held = 0;
        for (var r = 0; r < values.Length; r++)
        {
            if (defined[r] == 0) continue;
            bits |= values[r] << held;
            if (++held < 8) continue;
            _values.Write([(byte)bits]);
            bits = held = 0;
        }
        if (held > 0) _values.Write([(byte)bits]);
    }

    private static void SetStatistics(ChunkInfo chunk, int min, int max)
    {
        chunk.Min = BitConverter.GetBytes(min);
        chunk.Max = BitConverter.GetBytes(max);
    }

    /// <summary>The data page's values when dictionary-encoded: the indices' bit width, then the indices.</summary>
    private void Indices(int present, int entries)
    {
        var width = RleBitPackedHybrid.BitWidth(entries - 1);
        _values.Write([(byte)width]);
        RleBitPackedHybrid.Encode<int>(_indices.AsSpan(0, present), width, _values);
    }

    /// <summary>A data page: the definition levels (with their length, as version 1 pages have it), then the values.</summary>
    private void WriteDataPage(int rows, int encoding, ChunkInfo chunk)
    {
        var body = _page;
        body.ResetWrittenCount();
        var span = body.GetSpan(4);
        BinaryPrimitives.WriteInt32LittleEndian(span, _levels.WrittenCount);
        body.Advance(4);
        body.Write(_levels.WrittenSpan);
        body.Write(_values.WrittenSpan);
        WritePage(DataPage, body.WrittenSpan, rows, chunk, encoding);
    }

    private void WritePage(int type, ReadOnlySpan<byte> body, int values, ChunkInfo chunk, int encoding = Plain)
    {
        var max = Snappier.Snappy.GetMaxCompressedLength(body.Length);
        if (_compressed.Length < max) _compressed = new byte[Math.Max(max, 2 * _compressed.Length)];
        var compressed = Snappier.Snappy.Compress(body, _compressed);

        _header.ResetWrittenCount();
        var t = _thrift;
        t.BeginStructValue();
        t.I32(1, type);
        t.I32(2, body.Length);
        t.I32(3, compressed);
        if (type == DataPage)
        {
            t.BeginStruct(5);
            t.I32(1, values);
            t.I32(2, encoding);
            t.I32(3, Rle);
            t.I32(4, Rle);
            t.EndStruct();
        }
        else
        {
            t.BeginStruct(7);
            t.I32(1, values);
            t.I32(2, Plain);
            t.EndStruct();
        }
        t.EndStruct();

        _stream.Write(_header.WrittenSpan);
        _stream.Write(_compressed, 0, compressed);
        chunk.Uncompressed += _header.WrittenCount + body.Length;
        chunk.Compressed += _header.WrittenCount + compressed;
        _position += _header.WrittenCount + compressed;
    }

    private sealed class ChunkInfo
    {
        public required string Name { get; init; }
        public required ColumnKind Kind { get; init; }
        public required int Rows { get; init; }
        public required long Nulls { get; init; }
        public required long Start { get; init; }
        public long DataOffset { get; set; }
        public long? DictionaryOffset { get; set; }
        public int Encoding { get; set; }
        public long Uncompressed { get; set; }
        public long Compressed { get; set; }
        public byte[]? Min { get; set; }
        public byte[]? Max { get; set; }
    }

    /// <summary>The least and greatest UTF-8 value written to a buffer, compared byte by byte, as Parquet orders text.</summary>
    private struct TextStatistics
    {
        private int _min, _minLength, _max, _maxLength;
        private bool _any;

        public void Add(int start, ArrayBufferWriter<byte> buffer)
        {
            var written = buffer.WrittenSpan;
            var length = written.Length - start;
            var value = written.Slice(start, length);
            if (!_any || value.SequenceCompareTo(written.Slice(_min, _minLength)) < 0) (_min, _minLength) = (start, length);
            if (!_any || value.SequenceCompareTo(written.Slice(_max, _maxLength)) > 0) (_max, _maxLength) = (start, length);
            _any = true;
        }

        public readonly void Set(ChunkInfo chunk, ArrayBufferWriter<byte> buffer)
        {
            if (!_any || _minLength > LongestStatistic || _maxLength > LongestStatistic) return;
            chunk.Min = buffer.WrittenSpan.Slice(_min, _minLength).ToArray();
            chunk.Max = buffer.WrittenSpan.Slice(_max, _maxLength).ToArray();
        }
    }
}
