using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Storage;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Lifecycle;

public static class LifecycleExtensions
{
    /// <summary>
    /// The record lifecycle: disclosure policies (read and checked now, so a bad policy file stops
    /// the hub at start-up), the working-day calendar, the rules, and the expiry job.
    /// </summary>
    public static IHostApplicationBuilder AddLifecycle(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LifecycleOptions>()
            .Bind(builder.Configuration.GetSection(LifecycleOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(LifecycleOptions.Section).Get<LifecycleOptions>() ?? new LifecycleOptions();

        var policies = PolicyFile.Load(Path.GetFullPath(options.PolicyFile, AppContext.BaseDirectory));
        services.AddSingleton(new DisclosurePolicyBook(policies.Select(p => p.Policy)));
        services.AddSingleton(new ShippedPolicies(policies.Select(p => p.Row).ToList()));
        var holidayYears = HolidayCalendarFile.Load(Path.GetFullPath(options.HolidayCalendarFile, AppContext.BaseDirectory));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LifecycleOptions>>().Value;
            return new WorkingDayCalendar(holidayYears, o.Holidays, o.WorkingWeekendDays);
        });
        var shippedLimits = TimeLimitFile.Load(Path.GetFullPath(options.TimeLimitFile, AppContext.BaseDirectory));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LifecycleOptions>>().Value;
            return shippedLimits
                .WithWorkingDays(TimeLimits.ObjectionAnswer, o.ObjectionAnswerWorkingDays)
                .WithWorkingDays(TimeLimits.RepairDecision, o.RepairDecisionWorkingDays)
                .WithWorkingDays(TimeLimits.ComplaintReview, o.ComplaintReviewWorkingDays)
                .WithWorkingDays(TimeLimits.ChangeAcknowledgement, o.ChangeAcknowledgementWorkingDays);
        });
        services.AddSingleton(sp => new RecordLifecycle(sp.GetRequiredService<IOptions<LifecycleOptions>>().Value.EffectiveSubjectRepresentatives));
        services.AddSingleton(sp => new ComplaintRules(sp.GetRequiredService<IOptions<LifecycleOptions>>().Value.EffectiveComplaintReviewers));
        services.AddScoped<LifecycleStore>();
        services.AddScoped<LifecycleOperations>();
        services.AddScoped<ComplaintOperations>();
        services.AddSingleton<ExpirySweeper>();
        services.AddHostedService<ExpiryService>();
        return builder;
    }

    public static WebApplication MapLifecycle(this WebApplication app)
    {
        app.MapGrpcService<LifecycleGrpcService>();
        return app;
    }

    /// <summary>Stores the shipped policy versions (refusing a changed one), after the migrations ran.</summary>
    public static async Task InitializeLifecycleAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var shipped = scope.ServiceProvider.GetRequiredService<ShippedPolicies>();
        var store = scope.ServiceProvider.GetRequiredService<LifecycleStore>();
        await store.SeedPoliciesAsync(shipped.Rows, ct);
        WarnAboutYearsWithoutArrangement(app);
        var book = scope.ServiceProvider.GetRequiredService<DisclosurePolicyBook>();
        await store.BackfillLegacyRecordsAsync(
            row => book.Fix((RecordSeverity)row.Severity, row.DecisionDate, ChinaCalendar.DateOf(row.AcceptedAt)),
            ct);
    }

    /// <summary>
    /// Says once, at start-up, which years a deadline the hub may set from today (up to the longest allowed
    /// answer period) may fall in without a published holiday arrangement.
    /// </summary>
    private static void WarnAboutYearsWithoutArrangement(WebApplication app)
    {
        var calendar = app.Services.GetRequiredService<WorkingDayCalendar>();
        var today = ChinaCalendar.Today(app.Services.GetRequiredService<TimeProvider>());
        var horizon = calendar.AddWorkingDays(today, LifecycleOptions.MaxAnswerWorkingDays);
        var years = calendar.YearsWithoutArrangement(today, horizon).ToLookup(calendar.ArrangementOf);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Lifecycle");
        if (years[HolidayArrangement.StatutoryOnly].Any())
        {
            Log.NoHolidayArrangement(logger, string.Join(", ", years[HolidayArrangement.StatutoryOnly]));
        }

        if (years[HolidayArrangement.WeekdaysOnly].Any())
        {
            Log.NoHolidaysDerivable(logger, string.Join(", ", years[HolidayArrangement.WeekdaysOnly]), StatutoryHolidays.FirstYear, StatutoryHolidays.LastYear);
        }
    }
}

/// <summary>The policy rows read from the policy file at start-up.</summary>
public sealed record ShippedPolicies(IReadOnlyList<CreditExchange.Storage.Entities.DisclosurePolicyEntity> Rows);
