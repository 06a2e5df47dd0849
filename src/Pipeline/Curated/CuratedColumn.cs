using Parquet;
using Parquet.Schema;

namespace YouthJustice.Pipeline.Curated;

public enum ColumnKind { Text, Date, Integer, Number, Flag }

/// <summary>A typed value on its way to a curated column; no boxing on the per-row path.</summary>
#pragma warning disable CA1051 // plain fields: this struct is written millions of times per drop

public struct CellValue
{
    public bool Present;
    public string? Text;
    public DateOnly Date;
    public int Integer;
    public double Number;
    public bool Flag;

    public static CellValue OfText(string? text) => new() { Present = text is not null, Text = text };
    public static CellValue OfInteger(int value) => new() { Present = true, Integer = value };
}
#pragma warning restore CA1051

/// <summary>
/// One column of a curated Parquet file, with a buffer of one row group. The buffer starts small and doubles up to the
/// row group as rows arrive: a drop of a few hundred rows over eight quarters needs a few kilobytes per file, not a row
/// group's worth per column of each.
/// </summary>
public sealed class CuratedColumn
{
    private const int FirstSize = 1024;
    private readonly int _capacity;
    private string?[]? _text;
    private DateOnly?[]? _dates;
    private int?[]? _integers;
    private double?[]? _numbers;
    private bool?[]? _flags;

    /// <param name="field">The schema's field for this column (see <see cref="FieldFor"/>); buffers of one file share it.</param>
    /// <param name="capacity">The most rows the buffer holds (a row group).</param>
    public CuratedColumn(DataField field, ColumnKind kind, int capacity)
    {
        Name = field.Name;
        Kind = kind;
        Field = field;
        _capacity = capacity;
        var size = Math.Min(capacity, FirstSize);
        switch (kind)
        {
            case ColumnKind.Text: _text = new string?[size]; break;
            case ColumnKind.Date: _dates = new DateOnly?[size]; break;
            case ColumnKind.Integer: _integers = new int?[size]; break;
            case ColumnKind.Number: _numbers = new double?[size]; break;
            default: _flags = new bool?[size]; break;
        }
    }

    public static DataField FieldFor(string name, ColumnKind kind) => kind switch
    {
        ColumnKind.Text => new DataField<string>(name),
        ColumnKind.Date => new DataField<DateOnly?>(name),
        ColumnKind.Integer => new DataField<int?>(name),
        ColumnKind.Number => new DataField<double?>(name),
        _ => new DataField<bool?>(name),
    };

    public string Name { get; }
    public ColumnKind Kind { get; }
    public DataField Field { get; }

    public void Set(int row, in CellValue value)
    {
        switch (Kind)
        {
            case ColumnKind.Text: Room(ref _text, row)[row] = value.Present ? value.Text : null; break;
            case ColumnKind.Date: Room(ref _dates, row)[row] = value.Present ? value.Date : null; break;
            case ColumnKind.Integer: Room(ref _integers, row)[row] = value.Present ? value.Integer : null; break;
            case ColumnKind.Number: Room(ref _numbers, row)[row] = value.Present ? value.Number : null; break;
            default: Room(ref _flags, row)[row] = value.Present ? value.Flag : null; break;
        }
    }

    private T[] Room<T>(ref T[]? buffer, int row)
    {
        if (row >= buffer!.Length)
        {
            if (row >= _capacity) throw new ArgumentOutOfRangeException(nameof(row), row, $"A row group holds {_capacity} rows.");
            Array.Resize(ref buffer, (int)Math.Min(_capacity, Math.Max(2L * buffer.Length, row + 1L)));
        }
        return buffer;
    }

    /// <summary>Writes the first <paramref name="rows"/> rows; a column no row set is written empty.</summary>
    public Task WriteAsync(ParquetRowGroupWriter writer, int rows, CancellationToken cancellationToken)
    {
        var last = rows - 1;
        var ct = cancellationToken;
        return Kind switch
        {
            ColumnKind.Text => writer.WriteAsync(Field, new ArraySegment<string?>(Room(ref _text, last), 0, rows)!, null),
            ColumnKind.Date => writer.WriteAsync<DateOnly>(Field, Room(ref _dates, last).AsMemory(0, rows), null, null, ct),
            ColumnKind.Integer => writer.WriteAsync<int>(Field, Room(ref _integers, last).AsMemory(0, rows), null, null, ct),
            ColumnKind.Number => writer.WriteAsync<double>(Field, Room(ref _numbers, last).AsMemory(0, rows), null, null, ct),
            _ => writer.WriteAsync<bool>(Field, Room(ref _flags, last).AsMemory(0, rows), null, null, ct),
        };
    }
}
