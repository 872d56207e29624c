using CreditExchange.DevCerts;
using CreditExchange.Server.Privacy;
using Xunit;

namespace CreditExchange.Tests.Operations;

/// <summary>Development keys minted by hubs that start at the same moment on a fresh checkout.</summary>
public sealed class DevFilesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ce-keyfiles-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task CreateOnce_ManyAtOnce_OneKeyWinsEveryoneReadsItAndNoTemporaryFileIsLeft()
    {
        var path = Path.Combine(_folder, "privacy", "content-dev-1.key");
        using var start = new ManualResetEventSlim();

        var readers = Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return File.ReadAllText(PrivacyKeys.MintIfMissing(path));
        })).ToList();
        start.Set();
        var keys = await Task.WhenAll(readers);

        Assert.Single(keys.Distinct());
        Assert.Equal(keys[0], File.ReadAllText(path));
        Assert.Equal(32, Convert.FromBase64String(keys[0].Trim()).Length);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void CreateOnce_Exists_LeftAsItIs()
    {
        var path = Path.Combine(_folder, "kept.key");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(path, "existing\n");

        DevFiles.CreateOnce(path, () => throw new InvalidOperationException("must not mint"));

        Assert.Equal("existing\n", File.ReadAllText(path));
    }
}
