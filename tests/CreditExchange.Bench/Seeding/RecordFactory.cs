using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Hosting;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditExchange.Bench.Seeding;

/// <summary>The rows one accepted submission leaves: the record, its first version and its feed event.</summary>
public sealed record PreparedRows(IReadOnlyList<RecordEntity> Records, IReadOnlyList<RecordVersionEntity> Versions, IReadOnlyList<RecordEventEntity> Events);

/// <summary>
/// Makes the rows the hub itself would store for a submission, with the hub's own code and keys: the hub is composed
/// in this process exactly as it starts (<see cref="HubApp"/>, same settings as the hub under test, never started, so
/// no port and no background job), which applies its migrations; then <see cref="RecordIntake.Prepare"/> checks
/// competence, normalises, hashes and encrypts the content, keys the subject with the hub's
/// <see cref="PersonalDataProtector"/> and fixes the periods; <see cref="RecordStore.ToEntity"/> builds the row and
/// <see cref="RecordHistory.Append"/> adds the version and the event.
/// </summary>
public sealed class RecordFactory : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AgencyRegistry _agencies;
    private readonly PersonalDataProtector _protector;

    private RecordFactory(WebApplication app)
    {
        _app = app;
        _agencies = app.Services.GetRequiredService<AgencyRegistry>();
        _protector = app.Services.GetRequiredService<PersonalDataProtector>();
        using var scope = app.Services.CreateScope();
        Model = scope.ServiceProvider.GetRequiredService<CreditDbContext>().Model;
    }

    /// <summary>The hub's EF Core model (tables, columns, store types).</summary>
    public IModel Model { get; }

    public PersonalDataProtector Protector => _protector;

    /// <summary>The composed hub's services (its sealer, its expiry sweeper), for the scenarios that time them in this process.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Composes the hub with <paramref name="settings"/> (migrating its database) without starting it.</summary>
    public static async Task<RecordFactory> OpenAsync(IReadOnlyDictionary<string, string?> settings, string environment)
    {
        var app = await HubApp.BuildAsync(
            ["--environment=" + environment, "--contentRoot=" + AppContext.BaseDirectory],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.ClearProviders();
            });
        return new RecordFactory(app);
    }

    /// <summary>Prepares the rows of accepted submissions, in parallel over the machine's cores.</summary>
    public PreparedRows Prepare(IReadOnlyList<(SubmitRecordRequest Request, string AgencyId, DateTimeOffset AcceptedAt)> items)
    {
        var parts = Math.Min(Environment.ProcessorCount, Math.Max(1, items.Count / 500));
        var results = new PreparedRows[parts];
        Parallel.For(0, parts, part =>
        {
            var from = items.Count * part / parts;
            var to = items.Count * (part + 1) / parts;
            results[part] = PrepareSlice(items, from, to);
        });
        return new PreparedRows(
            [.. results.SelectMany(r => r.Records)],
            [.. results.SelectMany(r => r.Versions)],
            [.. results.SelectMany(r => r.Events)]);
    }

    private PreparedRows PrepareSlice(IReadOnlyList<(SubmitRecordRequest Request, string AgencyId, DateTimeOffset AcceptedAt)> items, int from, int to)
    {
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        var intake = scope.ServiceProvider.GetRequiredService<RecordIntake>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var records = new List<RecordEntity>(to - from);
        for (var i = from; i < to; i++)
        {
            var (request, agencyId, at) = items[i];
            var acceptedAt = RecordHistory.Stored(at);
            var agency = _agencies.Find(agencyId) ?? throw new InvalidOperationException($"Agency '{agencyId}' is not registered.");
            var item = intake.Prepare(agency, request, ChinaCalendar.DateOf(acceptedAt)).Row;
            var record = RecordStore.ToEntity(item, acceptedAt);
            RecordHistory.Append(db, record, RecordChange.Submitted, item.AgencyId, "", acceptedAt);
            records.Add(record);
        }

        var versions = db.ChangeTracker.Entries<RecordVersionEntity>().Select(e => e.Entity).ToList();
        var events = db.ChangeTracker.Entries<RecordEventEntity>().Select(e => e.Entity).OrderBy(e => e.OccurredAt).ToList();
        db.ChangeTracker.Clear();
        return new PreparedRows(records, versions, events);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
