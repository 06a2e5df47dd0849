using System.Security.Cryptography;
using System.Text;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// The drop id, fed as the bytes go by: SHA-256 over <c>"{provider}\n{dropType}\n"</c> then the file's bytes,
/// lower-case hex (<see cref="DropLedger.DropIdAsync"/> says why each part is in it).
/// </summary>
public sealed class DropIdHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public DropIdHash(string provider, string dropType) => _hash.AppendData(Encoding.UTF8.GetBytes($"{provider}\n{dropType}\n"));

    public void Append(ReadOnlySpan<byte> bytes) => _hash.AppendData(bytes);

    /// <summary>The id of the bytes appended so far.</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
