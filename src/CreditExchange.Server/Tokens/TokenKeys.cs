using System.Security.Cryptography;
using CreditExchange.DevCerts;
using CreditExchange.Server.Settings;
using Microsoft.IdentityModel.Tokens;

namespace CreditExchange.Server.Tokens;

/// <summary>The persisted RSA keys that sign and encrypt access tokens.</summary>
public sealed record TokenKeys(SecurityKey Signing, SecurityKey Encryption)
{
    public static TokenKeys Load(HubOptions options, string contentRoot, bool isProduction)
    {
        var tokens = options.Tokens;
        string signing, encryption;
        if (string.IsNullOrWhiteSpace(tokens.SigningKey) || string.IsNullOrWhiteSpace(tokens.EncryptionKey))
        {
            if (isProduction)
            {
                throw new InvalidOperationException(
                    "Hub:Tokens:SigningKey and Hub:Tokens:EncryptionKey must name PEM RSA key files in Production " +
                    "(the same files on every hub instance).");
            }

            var folder = Path.Combine(RepositoryPaths.Resolve(contentRoot, options.Tls.DevCertificatesFolder), "tokens");
            signing = MintIfMissing(Path.Combine(folder, "signing.key"));
            encryption = MintIfMissing(Path.Combine(folder, "encryption.key"));
        }
        else
        {
            signing = RepositoryPaths.Resolve(contentRoot, tokens.SigningKey);
            encryption = RepositoryPaths.Resolve(contentRoot, tokens.EncryptionKey);
        }

        return new TokenKeys(Read(signing), Read(encryption));
    }

    private static RsaSecurityKey Read(string path)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"The token key {path} does not hold a PEM RSA private key ({e.Message}).");
        }

        if (rsa.KeySize < 2048)
        {
            throw new InvalidOperationException($"The token key {path} is {rsa.KeySize} bits; at least 2048 are required.");
        }

        // A stable key id derived from the public key lets validators pick the key after a rotation.
        var id = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16];
        return new RsaSecurityKey(rsa) { KeyId = id };
    }

    private static string MintIfMissing(string path) =>
        DevFiles.CreateOnce(path, () =>
        {
            using var rsa = RSA.Create(2048);
            return rsa.ExportPkcs8PrivateKeyPem();
        });
}
