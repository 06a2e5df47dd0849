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
/// One column of a curated Parquet file, with a buffer of one row group: a flag per row for whether it has a value, and
/// the values as the Parquet file stores them (dates as days since 1970-01-01, flags as 0/1), so encoding a row group
/// converts nothing. The buffer starts small and doubles up to the row group as rows arrive: a drop of a few hundred
/// rows over eight quarters needs a few kilobytes per file, not a row group's worth per column of each.
/// </summary>
public sealed class CuratedColumn
{
    private const int FirstSize = 1024;
    private static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;
    private readonly int _capacity;
    private byte[]? _defined;
    private string?[]? _text;
    private int[]? _integers;
    private double[]? _numbers;

    /// <param name="capacity">The most rows the buffer holds (a row group).</param>
    public CuratedColumn(string name, ColumnKind kind, int capacity)
    {
        Name = name;
        Kind = kind;
        _capacity = capacity;
        var size = Math.Min(capacity, FirstSize);
        _defined = new byte[size];
        switch (kind)
        {
            case ColumnKind.Text: _text = new string?[size]; break;
            case ColumnKind.Number: _numbers = new double[size]; break;
            default: _integers = new int[size]; break;
        }
    }

    /// <summary>The Parquet field a column of this kind is declared as (every curated column may be empty).</summary>
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

    public void Set(int row, in CellValue value)
    {
        if (row >= _defined!.Length) Grow(row);
        var present = value.Present && (Kind != ColumnKind.Text || value.Text is not null);
        _defined[row] = present ? (byte)1 : (byte)0;
        // An empty row's value is left as it is: rows start empty, and a written buffer is cleared before it is used again.
        if (!present) return;
        switch (Kind)
        {
            case ColumnKind.Text: _text![row] = value.Text; break;
            case ColumnKind.Date: _integers![row] = value.Date.DayNumber - UnixEpochDay; break;
            case ColumnKind.Integer: _integers![row] = value.Integer; break;
            case ColumnKind.Number: _numbers![row] = value.Number; break;
            default: _integers![row] = value.Flag ? 1 : 0; break;
        }
    }

    /// <summary>1 for a row with a value, 0 for an empty one (Parquet's definition levels).</summary>
    internal ReadOnlySpan<byte> Defined(int rows) => Rows(ref _defined, rows);

    internal ReadOnlySpan<string?> Text(int rows) => Rows(ref _text, rows);

    internal ReadOnlySpan<int> Integers(int rows) => Rows(ref _integers, rows);

    internal ReadOnlySpan<double> Numbers(int rows) => Rows(ref _numbers, rows);

    // A column that no row set (one the agreement does not share) never grew: it reads as that many empty rows.
    private ReadOnlySpan<T> Rows<T>(ref T[]? buffer, int rows)
    {
        if (rows > buffer!.Length) Grow(rows - 1);
        return buffer.AsSpan(0, rows);
    }

    /// <summary>Forgets the rows once written, so a buffer used again has no value in a row no one sets.</summary>
    internal void Clear()
    {
        Array.Clear(_defined!);
        if (_text is not null) Array.Clear(_text);
    }

    private void Grow(int row)
    {
        if (row >= _capacity) throw new ArgumentOutOfRangeException(nameof(row), row, $"A row group holds {_capacity} rows.");
        var size = (int)Math.Min(_capacity, Math.Max(2L * _defined!.Length, row + 1L));
        Array.Resize(ref _defined, size);
        if (_text is not null) Array.Resize(ref _text, size);
        if (_integers is not null) Array.Resize(ref _integers, size);
        if (_numbers is not null) Array.Resize(ref _numbers, size);
    }
}
