using System.Buffers;
using System.Text;
using System.Text.Unicode;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Drops.Reading;

/// <summary>
/// Checks a drop's bytes before they are decoded: UTF-8 only, and no zero bytes (which only binary files and UTF-16
/// text hold). Counts lines as it goes, so a refusal names the line of the first bad byte the way the sender's
/// editor numbers it. Vectorised span operations per chunk, no allocation.
/// </summary>
/// <remarks>
/// Lines are counted by line feeds; a file that has shown no line feed yet counts carriage returns instead (old
/// Mac-style line ends). A character split across two chunks is carried over and checked when it is complete.
/// </remarks>
internal sealed class TextGuard
{
    private readonly byte[] _pending = new byte[4];
    private int _pendingLength;
    private int _pendingExpected;
    private int _linesBefore;
    private bool _sawLineFeed;

    /// <summary>Checks the next bytes of the file; throws <see cref="DropFormatException"/> at the first bad one.</summary>
    public void Check(ReadOnlySpan<byte> chunk)
    {
        var start = 0;
        if (_pendingLength > 0)
        {
            // Finish the character split over the previous chunk; it lies after the last line feed counted.
            while (start < chunk.Length && _pendingLength < _pendingExpected)
            {
                if ((chunk[start] & 0xC0) != 0x80) throw NotUtf8(_linesBefore + 1, _pending[0]);
                _pending[_pendingLength++] = chunk[start++];
            }
            if (_pendingLength < _pendingExpected) return;
            if (!Utf8.IsValid(_pending.AsSpan(0, _pendingLength))) throw NotUtf8(_linesBefore + 1, _pending[0]);
            _pendingLength = 0;
        }

        var body = chunk[start..];
        var tail = IncompleteTail(body, out var expected);
        var whole = body[..^tail];
        var zero = whole.IndexOf((byte)0);
        if (zero >= 0 || !Utf8.IsValid(whole))
        {
            var bad = FirstInvalid(whole);
            if (zero >= 0 && (bad < 0 || zero < bad))
                throw new DropFormatException(RuleCatalogue.FileNotCsv,
                    $"Line {LineAt(whole, zero)} contains a zero byte, which CSV text never holds: " +
                    "the file is binary or not a text export. " +
                    "Export the data as 'CSV UTF-8 (Comma delimited)' and send that.", LineAt(whole, zero));
            throw NotUtf8(LineAt(whole, bad), whole[bad]);
        }
        _linesBefore += Lines(whole, ref _sawLineFeed);
        if (tail > 0)
        {
            body[^tail..].CopyTo(_pending);
            _pendingLength = tail;
            _pendingExpected = expected;
        }
    }

    /// <summary>The end of the file: a character still incomplete is an encoding error.</summary>
    public void Finish()
    {
        if (_pendingLength > 0) throw NotUtf8(_linesBefore + 1, _pending[0]);
    }

    private int LineAt(ReadOnlySpan<byte> chunk, int index)
    {
        var sawLineFeed = _sawLineFeed;
        return _linesBefore + Lines(chunk[..index], ref sawLineFeed) + 1;
    }

    private static int Lines(ReadOnlySpan<byte> s, ref bool sawLineFeed)
    {
        var lf = s.Count((byte)'\n');
        if (lf > 0) sawLineFeed = true;
        return lf > 0 || sawLineFeed ? lf : s.Count((byte)'\r');
    }

    /// <summary>How many bytes at the end start a multi-byte character that the next chunk completes.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> s, out int expected)
    {
        expected = 0;
        for (var k = 1; k <= Math.Min(3, s.Length); k++)
        {
            var b = s[^k];
            if ((b & 0xC0) == 0x80) continue;
            if (b < 0x80) return 0;
            expected = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            return expected > k ? k : 0;
        }
        return 0;
    }

    /// <summary>The offset of the first byte that does not start a valid UTF-8 character, or -1. Used only to report.</summary>
    private static int FirstInvalid(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length)
        {
            var ascii = s[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii < 0) return -1;
            i += ascii;
            if (Rune.DecodeFromUtf8(s[i..], out _, out var consumed) != OperationStatus.Done) return i;
            i += consumed;
        }
        return -1;
    }

    internal static DropFormatException NotUtf8(int line, byte b) => new(RuleCatalogue.FileNotUtf8,
        $"Line {line} has a character that is not UTF-8 (byte 0x{b:X2}{Windows1252Hint(b)}): the file was saved as Windows-1252 " +
        "(Excel's plain 'CSV (Comma delimited)') or another legacy encoding. " +
        "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)', " +
        "or choose UTF-8 in your system's export, and send the file again.", line);

    /// <summary>What the byte most likely was: senders recognise their £ or é more easily than a byte value.</summary>
    private static string Windows1252Hint(byte b) => b switch
    {
        0x80 => ", probably '€'",
        0x91 or 0x92 => ", probably a curly apostrophe",
        0x93 or 0x94 => ", probably a curly quote",
        0x96 or 0x97 => ", probably a dash",
        >= 0xA0 and not 0xAD => $", probably '{(char)b}'",
        _ => "",
    };
}

/// <summary>A read-only stream that passes every byte of an inner stream through a <see cref="TextGuard"/>.</summary>
internal sealed class GuardedStream(Stream inner, TextGuard guard) : ReadOnlyWrapperStream(inner)
{
    public override int Read(Span<byte> buffer) => Checked(buffer, Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await Inner.ReadAsync(buffer, cancellationToken);
        return Checked(buffer.Span, n);
    }

    private int Checked(ReadOnlySpan<byte> buffer, int n)
    {
        if (n == 0 && buffer.Length > 0) guard.Finish();
        else guard.Check(buffer[..n]);
        return n;
    }
}
