using System.Runtime.InteropServices;
using System.Text;

namespace CreditExchange.DevCerts;

/// <summary>
/// Development key and certificate files, written so that a reader never sees half a file and a secret is never
/// readable by others, not even briefly.
/// </summary>
public static partial class DevFiles
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing what it held.</summary>
    public static void WriteAtomically(string path, string content, bool secret)
    {
        var temp = WriteTemporary(path, content, secret);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Creates the secret file <paramref name="path"/> with the content <paramref name="mint"/> makes, unless it
    /// exists. Safe when several hub processes start at once on a fresh checkout: each writes its own temporary
    /// file, and the first to link it into place wins; the others drop theirs, so every process then reads the same
    /// key (a rename over it would leave one process holding a key the file no longer has).
    /// </summary>
    public static string CreateOnce(string path, Func<string> mint)
    {
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = WriteTemporary(path, mint(), secret: true);
        try
        {
            LinkIntoPlace(temp, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process minted it first: its key is the one.
        }
        finally
        {
            File.Delete(temp);
        }

        return path;
    }

    /// <summary>
    /// Puts the complete file <paramref name="temp"/> at <paramref name="path"/> unless something is there already, in
    /// one step no other writer can come between: link(2) on Unix (File.Move without overwrite checks, then renames,
    /// and a rename replaces what another process linked in between); a move without replacing on Windows.
    /// </summary>
    private static void LinkIntoPlace(string temp, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Move(temp, path, overwrite: false);
            return;
        }

        if (Link(temp, path) != 0)
        {
            throw new IOException($"Could not create '{path}' (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);

    /// <summary>A sibling temporary file of <paramref name="path"/> holding <paramref name="content"/>, flushed to disk.</summary>
    private static string WriteTemporary(string path, string content, bool secret)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (secret && !OperatingSystem.IsWindows())
        {
            // Set at creation, so the key is never readable by others, not even briefly.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(temp, options);
            stream.Write(Utf8NoBom.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return temp;
    }
}
