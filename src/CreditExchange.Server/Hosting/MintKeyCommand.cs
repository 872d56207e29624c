using CreditExchange.Server.Privacy;

namespace CreditExchange.Server.Hosting;

/// <summary>
/// `dotnet run --project src/CreditExchange.Server -- mint-privacy-key --id 2026_02 --out keys/`: writes a new privacy
/// key file (32 random bytes, base64, owner-only) as <c>&lt;out&gt;/content-&lt;id&gt;.key</c>, and never replaces one: when the
/// file exists it is left as it is (said so, exit 0), so that running the command again cannot change the key of an id
/// whose values are sealed under it. A key id names one key for ever; a new key takes a new id.
/// </summary>
internal static class MintKeyCommand
{
    public const string Name = "mint-privacy-key";

    public static int Run(string[] args)
    {
        var id = Option(args, "--id");
        var folder = Option(args, "--out") ?? "keys";
        if (string.IsNullOrEmpty(id) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            Console.Error.WriteLine($"{Name}: give the new key's id with --id (1–64 characters of A-Z a-z 0-9 - _ .; letters, digits and _ can be set as environment variables), e.g. {Name} --id 2026_02 --out keys/");
            return StartupFailure.ConfigurationExitCode;
        }

        var path = Path.Combine(folder, $"content-{id}.key");
        if (File.Exists(path))
        {
            Console.WriteLine($"{Name}: {path} exists: kept as it is (a key file is never replaced; a new key needs a new id).");
            return 0;
        }

        try
        {
            PrivacyKeys.MintIfMissing(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{Name}: cannot write {path}: {e.Message}");
            return StartupFailure.ConfigurationExitCode;
        }

        Console.WriteLine($"{Name}: wrote {path} (privacy key '{id}'). Configure it as Hub:Privacy:EncryptionKeys:{id} on every hub instance.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
