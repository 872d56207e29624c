using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using Grpc.Net.Client;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// Start-up as an operator sees it, with real processes: each configuration mistake stops the hub
/// with one clear message and exit code 2 (never a stack trace); a good start says what it does;
/// SIGTERM lets a call in flight finish and exits 0.
/// </summary>
public sealed class StartupProcessTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    public static TheoryData<string, string, string, string> Mistakes() => new()
    {
        { "missing CA", "Hub__Tls__CaCertificate", "/nonexistent/creditexchange/ca.crt", "/nonexistent/creditexchange/ca.crt" },
        { "unreadable token key", "Hub__Tokens__SigningKey", "{garbage}", "does not hold a PEM RSA private key" },
        { "bad connection string", "ConnectionStrings__Postgres", "Host=db;Bogus Keyword=1", "ConnectionStrings:Postgres is not a valid Npgsql connection string" },
        { "unknown agency category", "Agencies__0__Categories__0", "NoSuchCategory", "Agencies:0:Categories:0" },
        { "invalid rules file", "Hub__Appraisal__RulesFile", "{rules}", "appraisal" },
        { "invalid policy file", "Hub__Lifecycle__PolicyFile", "{garbage}", "polic" },
        { "negative token lifetime", "Hub__Tokens__AccessTokenLifetime", "-00:05:00", "AccessTokenLifetime" },
        { "management address not a URL", "Hub__Management__Url", "not a url", "not a url" },
        { "time-stamping authority without its certificate", "Hub__Audit__TsaUrl", "http://127.0.0.1:3161/", "Hub:Audit:TsaCertificate" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Start_ConfigurationMistake_OneClearMessageAndExitCode2(string why, string setting, string value, string expected)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, value == "{rules}" ? """{"ruleSets": [{"version": "x", "effectiveFrom": "not-a-date"}]}""" : "not a key, not json {");
        await using var hub = HubProcess.Start(new Dictionary<string, string?> { [setting] = value is "{garbage}" or "{rules}" ? file : value });

        var exit = await hub.WaitForExitAsync(ExitTimeout);
        File.Delete(file);

        Assert.True(exit == 2, $"{why}: exit {exit}; {hub.StandardError}{hub.StandardOutput}");
        Assert.Contains("CreditExchange hub cannot start: ", hub.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, hub.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", hub.StandardError + hub.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", hub.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ManagementPortTaken_SaysTheAddressIsInUseNotTheDatabase()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        await using var hub = HubProcess.Start(new Dictionary<string, string?> { ["Hub__Management__Url"] = $"http://127.0.0.1:{port}" });

        var exit = await hub.WaitForExitAsync(ExitTimeout);

        Assert.True(exit == 2, $"exit {exit}; {hub.StandardError}{hub.StandardOutput}");
        Assert.Contains("a listening address is already in use", hub.StandardError, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), hub.StandardError, StringComparison.Ordinal);
        var said = hub.StandardError.Split('\n').Single(l => l.Contains("CreditExchange hub cannot start: ", StringComparison.Ordinal));
        Assert.DoesNotContain("database", said, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", hub.StandardError + hub.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Good_SaysWhatItDoesAndSigtermLetsACallInFlightFinish()
    {
        await using var hub = HubProcess.Start(new Dictionary<string, string?>
        {
            ["Hub__Telemetry__JsonConsoleLogs"] = "true",
            ["Logging__LogLevel__Default"] = "Information",
        });
        await hub.WaitUntilReadyAsync(ExitTimeout);
        var token = await TokenAsync(hub.Port, "court");
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{hub.Port}", new GrpcChannelOptions { HttpHandler = HubHost.Handler(TestCertificates.Agency("court")) });
        var records = new RecordService.RecordServiceClient(channel);
        var bearer = new Grpc.Core.Metadata { { "authorization", "Bearer " + token } };
        // The connection first: a stream's first write may return before its connection is open, and a
        // connection opened after SIGTERM is refused (only calls in flight may finish).
        await new Contracts.Receipts.V1.ReceiptService.ReceiptServiceClient(channel).GetReceiptKeysAsync(new(), bearer);
        using var batch = records.SubmitRecords(bearer);
        await batch.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });

        hub.Terminate();
        await Task.Delay(500);
        await batch.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });
        await batch.RequestStream.CompleteAsync();
        var response = await batch.ResponseAsync;
        var exit = await hub.WaitForExitAsync(ExitTimeout);

        Assert.Equal(2, response.AcceptedCount);
        Assert.Equal(0, exit);
        var output = hub.StandardOutput;
        foreach (var line in new[] { "Database: SQLite at", "Migrations applied:", "Agencies loaded: 12", "Privacy key", "listening on" })
        {
            Assert.Contains(line, output, StringComparison.Ordinal);
        }

        // JSON console logs: one object a line, with the trace id of the call in its scope.
        Assert.Contains("\"TraceId\":", output, StringComparison.Ordinal);
        Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => Assert.StartsWith("{", l, StringComparison.Ordinal));
    }

    private static async Task<string> TokenAsync(int port, string agency)
    {
        using var http = HubHost.Http(TestCertificates.Agency(agency));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = agency });
        using var answer = await http.PostAsync(new Uri($"https://127.0.0.1:{port}/connect/token"), form);
        using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
