namespace CreditExchange.Server.Settings;

/// <summary>
/// Resolves relative paths of the zero-setup defaults (dev certificates, SQLite file) against the
/// repository root when run from a checkout, so `dotnet run --project src/...` and the tests find
/// the same certs-dev/ folder; otherwise against the content root.
/// </summary>
internal static class RepositoryPaths
{
    public static string Resolve(string contentRoot, string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, path));
            }
        }

        return Path.GetFullPath(Path.Combine(contentRoot, path));
    }
}
