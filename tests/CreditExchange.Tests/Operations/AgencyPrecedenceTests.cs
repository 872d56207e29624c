using CreditExchange.Contracts.Admin.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditExchange.Tests.Operations;

/// <summary>Administrative changes to an agency take precedence over its appsettings entry, and start-up says so.</summary>
[Collection("postgres")]
public sealed class AgencyPrecedenceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Start_AgencyChangedThroughAdmin_KeepsTheChangeAndLogsThatItPrevails()
    {
        var database = await postgres.CreateDatabaseAsync("precedence");
        await using (var first = await HubHost.StartAsync(database))
        {
            await new AdminService.AdminServiceClient(first.AgencyChannel("drc")).UpdateAgencyAsync(new UpdateAgencyRequest
            {
                AgencyId = "commerce",
                Competence = new Competence { Categories = { Category.BreachOfCommitment }, Domains = { RecordDomain.InvestmentPromotion, RecordDomain.Bidding }, Scopes = { "records.submit", "records.read" } },
                Purpose = "precedence test",
            });
        }

        var logs = new CapturingLoggerProvider();
        await using var second = await HubHost.StartAsync(database, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" }, services: s => s.AddSingleton<ILoggerProvider>(logs));
        var agencies = await new AdminService.AdminServiceClient(second.AgencyChannel("drc")).ListAgenciesAsync(new ListAgenciesRequest());

        Assert.Contains(RecordDomain.Bidding, agencies.Agencies.Single(a => a.AgencyId == "commerce").Domains);
        Assert.Contains(logs.Lines, l => l.Contains("Agency 'commerce' was changed through the AdminService", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Agency 'court' was changed", StringComparison.Ordinal));
    }
}
