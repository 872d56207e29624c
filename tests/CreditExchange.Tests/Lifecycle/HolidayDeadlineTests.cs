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

/// <summary>
/// Objection deadlines in 2027, for which no State Council arrangement ships: the statutory holidays of
/// 《全国年节及纪念日放假办法》 (国务院令第795号) are derived and skipped, through the public RPCs.
/// </summary>
[Collection("postgres")]
public sealed class StatutoryHolidayDeadlineTests(PostgresFixture postgres) : IAsyncLifetime
{
    /// <summary>Monday 28 December 2026, 10:00 in Beijing.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 28, 2, 0, 0, TimeSpan.Zero));
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task FileObjection_AcrossNewYear2027_NewYearsDayIsNoWorkingDay()
    {
        var record = await _hub.SubmitAsync(Severity.General, "2026-12-01");

        var filed = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "异议" });

        // Tue 29, Wed 30, Thu 31, Friday 1 January 2027 (元旦) off, the weekend, Mon 4, Tue 5.
        Assert.Equal("2027-01-05", filed.Objection.AnswerDueDate);

        _clock.SetUtcNow(new DateTimeOffset(2027, 1, 5, 15, 0, 0, TimeSpan.Zero)); // Tuesday 5 January, 23:00 Beijing: still in time
        Assert.Empty((await _hub.Lifecycle("drc").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest())).Objections);

        _clock.SetUtcNow(new DateTimeOffset(2027, 1, 5, 16, 0, 0, TimeSpan.Zero)); // Wednesday 6 January, 00:00 Beijing
        var overdue = await _hub.Lifecycle("drc").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest());
        Assert.Equal(filed.Objection.ObjectionId, Assert.Single(overdue.Objections).ObjectionId);
    }

    [Fact]
    public async Task FileObjection_AcrossSpringFestival2027_FourStatutoryDaysSkipped()
    {
        var record = await _hub.SubmitAsync(Severity.General, "2026-12-01");
        _clock.SetUtcNow(new DateTimeOffset(2027, 2, 4, 2, 0, 0, TimeSpan.Zero)); // Thursday 4 February 2027, 10:00 Beijing

        var filed = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "异议" });

        // 除夕 Fri 5, 正月初一–初三 Sat 6 – Mon 8 off; Tue 9, Wed 10, Thu 11, Fri 12, Mon 15.
        Assert.Equal("2027-02-15", filed.Objection.AnswerDueDate);
    }
}
