using System.Runtime.InteropServices;
using System.Globalization;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// The key of a row for a rule across rows, built into a reused buffer so the hot path allocates nothing when the
/// key has been seen before. Personal values (a UPN) stay in memory inside the gate and never reach a message.
/// </summary>
internal sealed class RowKey(IReadOnlyList<FieldCheck> fields, int[] positions)
{
    private char[] _buffer = new char[128];
    private int _length;

    public ReadOnlySpan<char> Current => _buffer.AsSpan(0, _length);

    /// <summary>Builds the key of a row; false when a key field is empty, so duplicates cannot be told.</summary>
    public bool Build(ReadOnlySpan<CellValue> values)
    {
        _length = 0;
        foreach (var p in positions)
        {
            ref readonly var v = ref values[p];
            if (!v.Present) return false;
            if (_length > 0) Append("\u001f");
            switch (fields[p].Kind)
            {
                case ColumnKind.Flag: Append(v.Flag ? "Y" : "N"); break;
                case ColumnKind.Integer: Format(v.Integer); break;
                case ColumnKind.Number: Append(v.Number.ToString("R", CultureInfo.InvariantCulture)); break;
                case ColumnKind.Date: Format(v.Date.DayNumber); break;
                default: Append(v.Text); break;
            }
        }
        return true;
    }

    /// <summary>The non-personal key values, as the sender wrote them, to help find the rows.</summary>
    public string Describe(ReadOnlySpan<CellValue> values)
    {
        var parts = new List<string>();
        foreach (var p in positions)
            if (!fields[p].Personal && RowRules.Canonical(values[p], fields[p].Kind) is { } text)
                parts.Add($"{fields[p].Field.Name} {text}");
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + text.Length));
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void Format(int n)
    {
        Span<char> digits = stackalloc char[11];
        n.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        Append(digits[..written]);
    }
}

/// <summary>
/// One row per key within a drop. When the key has a date (one row per pupil per date and session) the dates of each
/// remaining key are kept as a bitmap of days, so 3.8 M session marks cost a few bytes per pupil, not per row.
/// </summary>
internal sealed class UniqueRule : CompiledRule
{
    private readonly RowKey _key;
    private readonly int _date = -1;
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Seen>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string _names;
    // The entry of the row being checked, found once by Fails and marked by Remember: one hash lookup per row.
    private Seen? _current;

    public UniqueRule(CrossFieldRule rule, IReadOnlyList<FieldCheck> fields, int[] positions) : base(rule, rule.Fields[0])
    {
        _date = Array.FindIndex(positions, p => fields[p].Kind == ColumnKind.Date) is var at and >= 0 ? positions[at] : -1;
        _key = new RowKey(fields, _date < 0 ? positions : [.. positions.Where(p => p != _date)]);
        _lookup = _seen.GetAlternateLookup<ReadOnlySpan<char>>();
        _names = Names(rule.Fields);
    }

    public override bool AcrossRows => true;

    public override string? Fails(ReadOnlySpan<CellValue> values, int line)
    {
        _current = null;
        if (!_key.Build(values) || (_date >= 0 && !values[_date].Present)) return null;
        // An entry is made on first sight but counts only once Remember marks it: a refused row never makes the next one a duplicate.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, _key.Current, out _);
        var seen = _current = slot ??= new Seen { Days = _date < 0 ? null : new DaySet() };
        if (_date < 0)
            return seen.FirstLine > 0 ? $"Line {seen.FirstLine} already has the same {_names}{_key.Describe(values)}: send each once."
                : null;
        if (!seen.Days!.Contains(values[_date].Date.DayNumber)) return null;
        return $"An earlier row already has the same {_names}{_key.Describe(values)} on {values[_date].Date:yyyy-MM-dd}: send each once.";
    }

    public override void Remember(ReadOnlySpan<CellValue> values, int line)
    {
        if (_current is not { } seen) return;
        if (seen.FirstLine == 0) seen.FirstLine = line;
        seen.Days?.Add(values[_date].Date.DayNumber);
    }

    internal static string Names(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];

    private sealed class Seen
    {
        /// <summary>The first kept row with this key; 0 until one is kept.</summary>
        public int FirstLine;
        public DaySet? Days;
    }
}

/// <summary>Periods of the same group (a child's SEND records) must not overlap; an empty end is still open.</summary>
internal sealed class NoOverlapRule : CompiledRule
{
    private readonly RowKey _key;
    private readonly int _start;
    private readonly int _end;
    private readonly Dictionary<string, List<(int Start, int End, int Line)>> _periods = new(StringComparer.Ordinal);
    private readonly string _names;
    private readonly string _startName;
    private readonly string _endName;
    private bool _built;

    public NoOverlapRule(CrossFieldRule rule, IReadOnlyList<FieldCheck> fields, int[] group, int start, int end) : base(rule, rule.Start!)
    {
        _key = new RowKey(fields, group);
        _start = start;
        _end = end;
        _names = UniqueRule.Names(rule.Fields);
        _startName = rule.Start!;
        _endName = rule.End!;
    }

    public override bool AcrossRows => true;

    public override string? Fails(ReadOnlySpan<CellValue> values, int line)
    {
        _built = _key.Build(values) && values[_start].Present;
        if (!_built || !_periods.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(_key.Current, out var earlier)) return null;
        var (start, end) = Period(values);
        foreach (var e in earlier)
            if (start <= e.End && e.Start <= end)
                return $"The period from {_startName} {values[_start].Date:yyyy-MM-dd} to {_endName} " +
                       $"{(values[_end].Present
                           ? values[_end].Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                           : "(still open)")} " +
                       $"overlaps the one on line {e.Line} for the same {_names}{_key.Describe(values)}: " +
                       $"set the {_endName} of the earlier one before the {_startName} of the later.";
        return null;
    }

    public override void Remember(ReadOnlySpan<CellValue> values, int line)
    {
        if (!_built) return;
        var lookup = _periods.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(_key.Current, out var list)) lookup[_key.Current] = list = [];
        var (start, end) = Period(values);
        list.Add((start, end, line));
    }

    private (int Start, int End) Period(ReadOnlySpan<CellValue> values) =>
        (values[_start].Date.DayNumber, values[_end].Present ? values[_end].Date.DayNumber : int.MaxValue);
}

/// <summary>A set of day numbers near each other, as a growable bitmap.</summary>
internal sealed class DaySet
{
    private int _first;
    private ulong[] _bits = [];

    public bool Contains(int day)
    {
        var i = day - _first;
        return i >= 0 && i < _bits.Length * 64 && (_bits[i >> 6] & (1UL << (i & 63))) != 0;
    }

    public void Add(int day)
    {
        if (_bits.Length == 0)
        {
            _first = day & ~63;
            _bits = new ulong[8];
        }
        if (day < _first)
        {
            // Grow towards earlier days by whole words, keeping bits aligned.
            var words = ((_first - day + 63) >> 6) + 4;
            var grown = new ulong[_bits.Length + words];
            Array.Copy(_bits, 0, grown, words, _bits.Length);
            _bits = grown;
            _first -= words * 64;
        }
        var i = day - _first;
        if (i >= _bits.Length * 64) Array.Resize(ref _bits, Math.Max(_bits.Length * 2, (i >> 6) + 1));
        _bits[i >> 6] |= 1UL << (i & 63);
    }
}
