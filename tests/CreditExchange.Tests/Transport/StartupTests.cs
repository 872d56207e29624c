using CreditExchange.Server.Hosting;
using CreditExchange.Tests.Hub;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CreditExchange.Tests.Transport;

/// <summary>The hub refuses to start on settings that would weaken it.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Build_ProductionWithDevelopmentCa_Refused()
    {
        var certs = TestCertificates.Set;

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Build("Production", new()
        {
            ["Hub:Tls:CaCertificate"] = certs.CaCertificate,
            ["Hub:Tls:ServerCertificate"] = certs.ServerCertificate,
            ["Hub:Tls:ServerKey"] = certs.ServerKey,
        }));

        Assert.Contains("development CA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_ProductionWithoutCa_RefusedInsteadOfMintingDevCertificates()
    {
        var folder = Path.Combine(Path.GetTempPath(), "creditexchange-never-minted-" + Guid.NewGuid().ToString("N"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Build("Production", new() { ["Hub:Tls:DevCertificatesFolder"] = folder }));

        Assert.Contains("Hub:Tls:CaCertificate", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Build_InvalidAgencyId_Refused()
    {
        var certs = TestCertificates.Set;

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Build("Development", new()
        {
            ["Hub:Tls:CaCertificate"] = certs.CaCertificate,
            ["Hub:Tls:ServerCertificate"] = certs.ServerCertificate,
            ["Hub:Tls:ServerKey"] = certs.ServerKey,
            ["Agencies:0:Id"] = "Court With Spaces",
        }));

        Assert.Contains("Agencies:0:Id", e.Message, StringComparison.Ordinal);
    }

    private static async Task Build(string environment, Dictionary<string, string?> settings)
    {
        settings["Hub:Url"] = "https://127.0.0.1:0";
        settings["Hub:Storage:SqlitePath"] = Path.Combine(Path.GetTempPath(), $"creditexchange-startup-{Guid.NewGuid():N}.db");
        await using var app = await HubApp.BuildAsync(
            [$"--environment={environment}", "--contentRoot", AppContext.BaseDirectory],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.ClearProviders();
            });
    }
}
