using System.Text;

namespace CreditExchange.Server.Hosting;

/// <summary>Development key files the hub mints for itself when they are missing (never in Production).</summary>
public static class KeyFiles
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Creates <paramref name="path"/> (owner-only from its creation) with the content <paramref name="mint"/> makes,
    /// unless the file exists. Safe when several hub processes start at once on a fresh checkout: each writes its own
    /// temporary file, and the first to link it into place wins; the others drop theirs, so every process then reads
    /// the same key (a rename over it would leave one process holding a key the file no longer has).
    /// </summary>
    public static string CreateOnce(string path, Func<string> mint)
    {
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Utf8NoBom.GetBytes(mint()));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process minted it first: its key is the one.
            }
        }
        finally
        {
            File.Delete(temp);
        }

        return path;
    }
}
