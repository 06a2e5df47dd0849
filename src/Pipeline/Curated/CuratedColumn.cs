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

/// <summary>One column of a curated Parquet file, with a buffer of one row group.</summary>
public sealed class CuratedColumn
{
    private string?[]? _text;
    private DateOnly?[]? _dates;
    private int?[]? _integers;
    private double?[]? _numbers;
    private bool?[]? _flags;

    /// <param name="field">The schema's field for this column (see <see cref="FieldFor"/>); buffers of one file share it.</param>
    public CuratedColumn(DataField field, ColumnKind kind, int capacity)
    {
        Name = field.Name;
        Kind = kind;
        Field = field;
        switch (kind)
        {
            case ColumnKind.Text: _text = new string?[capacity]; break;
            case ColumnKind.Date: _dates = new DateOnly?[capacity]; break;
            case ColumnKind.Integer: _integers = new int?[capacity]; break;
            case ColumnKind.Number: _numbers = new double?[capacity]; break;
            default: _flags = new bool?[capacity]; break;
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
            case ColumnKind.Text: _text![row] = value.Present ? value.Text : null; break;
            case ColumnKind.Date: _dates![row] = value.Present ? value.Date : null; break;
            case ColumnKind.Integer: _integers![row] = value.Present ? value.Integer : null; break;
            case ColumnKind.Number: _numbers![row] = value.Present ? value.Number : null; break;
            default: _flags![row] = value.Present ? value.Flag : null; break;
        }
    }

    public Task WriteAsync(ParquetRowGroupWriter writer, int rows, CancellationToken cancellationToken) => Kind switch
    {
        ColumnKind.Text => writer.WriteAsync(Field, new ArraySegment<string?>(_text!, 0, rows)!, null),
        ColumnKind.Date => writer.WriteAsync<DateOnly>(Field, _dates.AsMemory(0, rows), null, null, cancellationToken),
        ColumnKind.Integer => writer.WriteAsync<int>(Field, _integers.AsMemory(0, rows), null, null, cancellationToken),
        ColumnKind.Number => writer.WriteAsync<double>(Field, _numbers.AsMemory(0, rows), null, null, cancellationToken),
        _ => writer.WriteAsync<bool>(Field, _flags.AsMemory(0, rows), null, null, cancellationToken),
    };
}
