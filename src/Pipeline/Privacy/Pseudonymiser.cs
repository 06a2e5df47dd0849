using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Privacy;

/// <summary>
/// Keyed pseudonyms: HMAC-SHA256 under a key derived per domain (education identifiers, YOT case references…)
/// from the deployment key, so a pseudonym of one domain cannot be matched against another's. The same
/// identifier gives the same pseudonym for as long as the key version stays, so trends follow children.
/// The key is checked, not trusted: see <see cref="VerifyAsync"/>.
/// </summary>
public sealed partial class Pseudonymiser
{
    private readonly byte[] _masterKey;
    private readonly Dictionary<string, byte[]> _domainKeys = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly PipelineStorage? _storage;
    private readonly TimeProvider _clock;
    private volatile bool _verified;

    /// <param name="storage">Where each version's check value is kept; null (a benchmark, a unit test) checks nothing.</param>
    public Pseudonymiser(IOptions<PseudonymisationOptions> options, PipelineStorage? storage = null, TimeProvider? clock = null)
    {
        _storage = storage;
        _clock = clock ?? TimeProvider.System;
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Key))
            throw new InvalidOperationException($"{PseudonymisationOptions.SectionName}:Key is not configured.");
        try
        {
            _masterKey = Convert.FromBase64String(o.Key);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{PseudonymisationOptions.SectionName}:Key is not base64.");
        }
        if (_masterKey.Length < 32)
            throw new InvalidOperationException($"{PseudonymisationOptions.SectionName}:Key must be at least 32 bytes.");
        // The version is a table row key and the key derivation's salt: a plain label keeps both unambiguous.
        if (!VersionPattern().IsMatch(o.KeyVersion ?? ""))
            throw new InvalidOperationException(
                $"{PseudonymisationOptions.SectionName}:KeyVersion must be 1-64 letters, digits, '.', '_' or '-' (e.g. v2).");
        KeyVersion = o.KeyVersion!;
    }

    public string KeyVersion { get; }

    /// <summary>
    /// Checks the configured key against the check value stored for its version, storing it on the version's first
    /// use. A pseudonym made under the wrong key links to nothing and silently starts a second population, so every
    /// entry point that writes rows calls this first and stops on <see cref="PseudonymisationKeyMismatchException"/>.
    /// Two first uses at once are safe: the row is created conditionally and the loser compares against the winner's.
    /// </summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        if (_verified || _storage is null) return;
        var table = _storage.Table(StorageNames.PseudonymisationKeysTable);
        var expected = CheckValue();
        var stored = await table.GetEntityIfExistsAsync<TableEntity>(CheckPartition, KeyVersion, cancellationToken: cancellationToken);
        if (!stored.HasValue)
        {
            try
            {
                await table.AddEntityAsync(new TableEntity(CheckPartition, KeyVersion)
                {
                    [CheckValueColumn] = expected,
                    ["Algorithm"] = "HMAC-SHA256",
                    ["FirstUsedAt"] = _clock.GetUtcNow(),
                }, cancellationToken);
                _verified = true;
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                stored = await table.GetEntityIfExistsAsync<TableEntity>(CheckPartition, KeyVersion, cancellationToken: cancellationToken);
            }
        }
        var value = stored.HasValue ? stored.Value!.GetString(CheckValueColumn) : null;
        if (value is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value), Encoding.ASCII.GetBytes(expected)))
            throw new PseudonymisationKeyMismatchException(KeyVersion);
        _verified = true;
    }

    /// <summary>
    /// HMAC-SHA256 of a fixed label (naming the version) under the key, as hex: equal for equal keys, and it tells
    /// nothing about the key itself.
    /// </summary>
    public string CheckValue() =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_masterKey, Encoding.UTF8.GetBytes($"youth-justice-pipeline/key-check/{KeyVersion}")));

    private const string CheckPartition = "check";
    private const string CheckValueColumn = "CheckValue";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex VersionPattern();

    /// <summary>A fresh random key, base64, for a development store or a new deployment.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A domain's keyed hasher; not thread-safe, so one per ingest.</summary>
    public DomainHasher For(string domain)
    {
        byte[] key;
        lock (_gate)
        {
            if (!_domainKeys.TryGetValue(domain, out key!))
            {
                key = HKDF.DeriveKey(HashAlgorithmName.SHA256, _masterKey, 32, salt: Encoding.UTF8.GetBytes(KeyVersion),
                    info: Encoding.UTF8.GetBytes("pseudonym:" + domain));
                _domainKeys[domain] = key;
            }
        }
        return new DomainHasher(key);
    }

    public string Pseudonym(string domain, string normalisedIdentifier) => For(domain).Pseudonym(normalisedIdentifier);
}

/// <summary>The configured key is not the one first used under its version. Names the version, never the key.</summary>
public sealed class PseudonymisationKeyMismatchException(string version) : Exception(
    $"The pseudonymisation key configured for version '{version}' is not the key first used under '{version}' (its check value differs); " +
    $"nothing was written. Configure the original key for '{version}', or rotate to a new version (README: key rotation).")
{
    public string KeyVersion { get; } = version;
}

/// <summary>HMAC-SHA256 of normalised identifiers under one domain key, as 32 lower-case hex characters (128 bits).</summary>
public sealed class DomainHasher(byte[] key)
{
    // Pupils repeat on every session row: caching turns 3.8 M HMACs into one per pupil.
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);
    // The rows of one pupil follow each other, with the same (interned) identifier: no lookup at all.
    private string? _lastIdentifier;
    private string? _lastPseudonym;

    public string Pseudonym(string normalisedIdentifier)
    {
        if (ReferenceEquals(normalisedIdentifier, _lastIdentifier)) return _lastPseudonym!;
        var pseudonym = Compute(normalisedIdentifier);
        (_lastIdentifier, _lastPseudonym) = (normalisedIdentifier, pseudonym);
        return pseudonym;
    }

    private string Compute(string normalisedIdentifier)
    {
        if (_cache.TryGetValue(normalisedIdentifier, out var cached)) return cached;
        Span<byte> mac = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes(normalisedIdentifier);
        HMACSHA256.HashData(key, bytes, mac);
        var pseudonym = Convert.ToHexStringLower(mac[..16]);
        if (_cache.Count < 1_000_000) _cache[normalisedIdentifier] = pseudonym;
        return pseudonym;
    }
}
