using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>Objection deadlines across the State Council's 2026 Spring Festival arrangement, through the public RPCs.</summary>
[Collection("postgres")]
public sealed class HolidayDeadlineTests(PostgresFixture postgres) : IAsyncLifetime
{
    /// <summary>Thursday 12 February 2026, 10:00 in Beijing: the day before the holiday's make-up Saturday.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 12, 2, 0, 0, TimeSpan.Zero));
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task FileObjection_AcrossSpringFestival2026_DueOnTheFifthWorkingDay()
    {
        var record = await _hub.SubmitAsync(Severity.General, "2026-01-15");

        var filed = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "异议" });

        // Fri 13, Sat 14 (调休上班), 15–23 off, Tue 24, Wed 25, Thu 26.
        Assert.Equal("2026-02-26", filed.Objection.AnswerDueDate);

        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 26, 16, 0, 0, TimeSpan.Zero)); // Friday 27th, 00:00 Beijing
        var overdue = await _hub.Lifecycle("drc").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest());
        Assert.Equal(filed.Objection.ObjectionId, Assert.Single(overdue.Objections).ObjectionId);
    }
}
