using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// The one place personal data is encrypted, decrypted and turned into lookup keys, so no other
/// code handles the raw bytes. Stored content is an AES-256-GCM envelope:
/// <c>magic 'C','E' | version 1 | key-id length (1 byte) | key id (ASCII) | nonce (12) | tag (16) | ciphertext</c>,
/// with everything before the nonce authenticated as associated data (the key id cannot be swapped).
/// </summary>
public sealed class PersonalDataProtector(PrivacyKeys keys, SealedDataStatus? status = null)
{
    private const byte Version = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] Magic = "CE"u8.ToArray();

    /// <summary>
    /// Marks a text column's value as sealed: <c>"ce1:" + key id + ":" + base64(envelope)</c> (the key id, also
    /// authenticated inside the envelope, is repeated in clear so that the database can count the rows per key).
    /// Anything else is clear text from an earlier hub.
    /// </summary>
    public const string SealedTextPrefix = "ce1:";

    /// <summary>Encrypts with the current key of the ring.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var keyId = Encoding.ASCII.GetBytes(keys.CurrentEncryptionKeyId);
        var headerLength = Magic.Length + 2 + keyId.Length;
        var envelope = new byte[headerLength + NonceLength + TagLength + plaintext.Length];
        Magic.CopyTo(envelope, 0);
        envelope[Magic.Length] = Version;
        envelope[Magic.Length + 1] = (byte)keyId.Length;
        keyId.CopyTo(envelope, Magic.Length + 2);
        var nonce = envelope.AsSpan(headerLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.Encryption[keys.CurrentEncryptionKeyId], TagLength);
        aes.Encrypt(
            nonce,
            plaintext,
            envelope.AsSpan(headerLength + NonceLength + TagLength),
            envelope.AsSpan(headerLength + NonceLength, TagLength),
            envelope.AsSpan(0, headerLength));
        return envelope;
    }

    /// <summary>Decrypts an envelope written with any key of the ring.</summary>
    public byte[] Open(ReadOnlySpan<byte> envelope)
    {
        var keyId = KeyIdOf(envelope)
            ?? throw new CryptographicException("The stored content is not a personal-data envelope.");
        if (!keys.Encryption.TryGetValue(keyId, out var key))
        {
            throw Unreadable(keyId, $"a stored value is sealed under privacy key '{keyId}', which this hub does not hold (Hub:Privacy:EncryptionKeys).");
        }

        var headerLength = Magic.Length + 2 + envelope[Magic.Length + 1];
        var body = envelope[(headerLength + NonceLength + TagLength)..];
        var plaintext = new byte[body.Length];
        using var aes = new AesGcm(key, TagLength);
        try
        {
            aes.Decrypt(
                envelope.Slice(headerLength, NonceLength),
                body,
                envelope.Slice(headerLength + NonceLength, TagLength),
                plaintext,
                envelope[..headerLength]);
        }
        catch (CryptographicException)
        {
            throw Unreadable(keyId, $"a stored value sealed under privacy key '{keyId}' does not open with the key held under that id (altered in the database, or sealed with other key material).");
        }

        return plaintext;
    }

    /// <summary>A value under <paramref name="keyId"/> was found that the ring cannot open (readiness fails until it can).</summary>
    public void ReportUnheld(string keyId) => Unreadable(keyId, $"a stored value is sealed under privacy key '{keyId}', which this hub does not hold (Hub:Privacy:EncryptionKeys).");

    /// <summary>Whether the ring holds the key id.</summary>
    public bool Holds(string keyId) => keys.Encryption.ContainsKey(keyId);

    private SealedDataUnavailableException Unreadable(string keyId, string reason)
    {
        status?.Failed(reason);
        return new SealedDataUnavailableException(keyId, reason);
    }

    /// <summary>
    /// Seals free text that clerks type (objection grounds, answers, reasons, repair evidence, stated
    /// purposes: names and ID numbers end up there) for a text column: <c>"ce1:" + base64(envelope)</c>.
    /// Empty text stays empty: it says nothing.
    /// </summary>
    [return: NotNullIfNotNull(nameof(plaintext))]
    public string? SealText(string? plaintext) =>
        string.IsNullOrEmpty(plaintext) ? plaintext : SealedTextPrefix + keys.CurrentEncryptionKeyId + ":" + Convert.ToBase64String(Seal(Encoding.UTF8.GetBytes(plaintext)));

    /// <summary>The clear text of a sealed text column; clear text written by an earlier hub comes back as it is.</summary>
    [return: NotNullIfNotNull(nameof(stored))]
    public string? OpenText(string? stored) =>
        IsSealedText(stored) ? Encoding.UTF8.GetString(Open(Convert.FromBase64String(stored![(stored!.IndexOf(':', SealedTextPrefix.Length) + 1)..]))) : stored;

    /// <summary>
    /// Sealed under the current key: the envelope itself when it already is (or is not an envelope), else
    /// re-encrypted. For key rotation.
    /// </summary>
    public byte[] Reseal(byte[] envelope) =>
        KeyIdOf(envelope) is { } id && id != keys.CurrentEncryptionKeyId ? Seal(Open(envelope)) : envelope;

    /// <inheritdoc cref="Reseal(byte[])"/>
    [return: NotNullIfNotNull(nameof(stored))]
    public string? ResealText(string? stored) =>
        KeyIdOfText(stored) is { } id && id != keys.CurrentEncryptionKeyId ? SealText(OpenText(stored)) : stored;

    /// <summary>The key id of a sealed text value; null when it is not sealed.</summary>
    public static string? KeyIdOfText(string? stored) =>
        IsSealedText(stored) && stored!.IndexOf(':', SealedTextPrefix.Length) is var end and > 0
            ? stored[SealedTextPrefix.Length..end]
            : null;

    /// <summary>
    /// As <see cref="OpenText"/>, but a value that does not open (altered in the database, or
    /// sealed under a key no longer held) comes back as stored, for integrity checks that must report
    /// rather than fail.
    /// </summary>
    public string? OpenTextOrStored(string? stored)
    {
        if (stored is null || !IsSealedText(stored))
        {
            return stored;
        }

        try
        {
            return OpenText(stored);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return stored;
        }
    }

    public static bool IsSealedText(string? stored) => stored is not null && stored.StartsWith(SealedTextPrefix, StringComparison.Ordinal);

    /// <summary>The id of the key an envelope was written with; null when it is not an envelope.</summary>
    public static string? KeyIdOf(ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length < Magic.Length + 2 || !envelope[..Magic.Length].SequenceEqual(Magic) || envelope[Magic.Length] != Version)
        {
            return null;
        }

        var idLength = envelope[Magic.Length + 1];
        return envelope.Length < Magic.Length + 2 + idLength + NonceLength + TagLength
            ? null
            : Encoding.ASCII.GetString(envelope.Slice(Magic.Length + 2, idLength));
    }

    /// <summary>
    /// The key a record's subject is stored and looked up by: a civil servant's (normalised)
    /// resident ID as its keyed hash; a government body's unified social credit code as it is,
    /// since it is a public identifier of a public body and statistics and warnings name it.
    /// </summary>
    public string RecordSubjectKey(Domain.Records.SubjectKind kind, string identifier) => RecordSubjectKey(kind, identifier, SubjectKey);

    /// <summary>As <see cref="RecordSubjectKey(Domain.Records.SubjectKind, string)"/>, with <paramref name="subjectKey"/> as the keyed hash (a call's memo of it).</summary>
    public static string RecordSubjectKey(Domain.Records.SubjectKind kind, string identifier, Func<string, string> subjectKey) =>
        kind == Domain.Records.SubjectKind.CivilServant ? subjectKey(identifier) : identifier;

    /// <summary>The keyed hash of a (normalised) identifier: HMAC-SHA256 under the lookup key, lower-case hex.</summary>
    public string SubjectKey(string identifier)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(keys.LookupKey, Encoding.UTF8.GetBytes("subject:" + identifier), mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// The key of the audit chain's links (chain version 2): derived from the hub's audit key under its own label, so a
    /// link can never stand for an entry MAC nor the other way round.
    /// </summary>
    public byte[] AuditChainKey => _auditChainKey ??= HMACSHA256.HashData(keys.AuditMacKey, "ce-audit-chain-v2 key"u8);

    private byte[]? _auditChainKey;

    /// <summary>The hub's keyed MAC of an audit entry's canonical bytes.</summary>
    public byte[] AuditMac(ReadOnlySpan<byte> canonical) => HMACSHA256.HashData(keys.AuditMacKey, canonical);

    /// <summary>Whether <paramref name="mac"/> is the hub's MAC of <paramref name="canonical"/> (constant time).</summary>
    public bool IsAuditMacValid(ReadOnlySpan<byte> canonical, ReadOnlySpan<byte> mac) =>
        CryptographicOperations.FixedTimeEquals(AuditMac(canonical), mac);
}
