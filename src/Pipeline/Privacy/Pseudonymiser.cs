using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace YouthJustice.Pipeline.Privacy;

/// <summary>
/// Keyed pseudonyms: HMAC-SHA256 under a key derived per domain (education identifiers, YOT case references…)
/// from the deployment key, so a pseudonym of one domain cannot be matched against another's. The same
/// identifier gives the same pseudonym for as long as the key version stays, so trends follow children.
/// </summary>
public sealed class Pseudonymiser
{
    private readonly byte[] _masterKey;
    private readonly Dictionary<string, byte[]> _domainKeys = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Pseudonymiser(IOptions<PseudonymisationOptions> options)
    {
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
        KeyVersion = o.KeyVersion;
    }

    public string KeyVersion { get; }

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
                key = HKDF.DeriveKey(HashAlgorithmName.SHA256, _masterKey, 32, salt: Encoding.UTF8.GetBytes(KeyVersion), info: Encoding.UTF8.GetBytes("pseudonym:" + domain));
                _domainKeys[domain] = key;
            }
        }
        return new DomainHasher(key);
    }

    public string Pseudonym(string domain, string normalisedIdentifier) => For(domain).Pseudonym(normalisedIdentifier);
}

/// <summary>HMAC-SHA256 of normalised identifiers under one domain key, as 32 lower-case hex characters (128 bits).</summary>
public sealed class DomainHasher(byte[] key)
{
    // Pupils repeat on every session row: caching turns 3.8 M HMACs into one per pupil.
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    public string Pseudonym(string normalisedIdentifier)
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
