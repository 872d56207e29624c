using CreditExchange.Server.Settings;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CreditExchange.Server.Telemetry;

/// <summary>
/// OpenTelemetry: when <c>Hub:Telemetry:OtlpEndpoint</c> is set, traces of every call and database command (ASP.NET
/// Core with gRPC; Npgsql on PostgreSQL, EF Core on SQLite), logs, and the metrics exported over OTLP; always, the
/// hub's metrics (<see cref="HubMetrics"/>), ASP.NET Core's and the runtime's as Prometheus text at /metrics on the
/// management port.
/// JSON console logs carrying trace and span ids when <c>Hub:Telemetry:JsonConsoleLogs</c> is true.
/// </summary>
public static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.GetHubOptions().Telemetry;
        var otlp = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : new Uri(options.OtlpEndpoint, UriKind.Absolute);
        builder.Services.AddSingleton<HubMetrics>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName, serviceInstanceId: Environment.MachineName));
        if (otlp is not null)
        {
            // Spans are made only when something exports them: a sampled span on every call and every command costs
            // hub CPU for nothing otherwise (a listener of the hub's own, such as a test's, still sees them).
            var postgres = Database.DatabaseExtensions.UsesPostgres(builder.Configuration);
            telemetry.WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o =>
                {
                    // Probes and scrapes are not calls worth a trace.
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal) && http.Request.Path != "/metrics";
                });
                // One span per database command: Npgsql's own on PostgreSQL; EF Core's (a diagnostic listener that
                // asks the provider's name, by reflection, on every command) only where the driver has none, SQLite.
                _ = postgres ? tracing.AddNpgsql() : tracing.AddEntityFrameworkCoreInstrumentation();
                tracing.AddOtlpExporter(o => Endpoint(o, otlp, "v1/traces"));
            });
        }

        telemetry
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(HubMetrics.MeterName)
                    // The runtime's own (.NET 9+): GC heap sizes and pauses, JIT, thread pool, working set.
                    .AddMeter("System.Runtime")
                    .AddAspNetCoreInstrumentation()
                    .AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => Endpoint(o, otlp, "v1/metrics"));
                }
            });
        if (otlp is not null)
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter(o => Endpoint(o, otlp, "v1/logs")));
        }

        if (options.JsonConsoleLogs)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
            builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        }

        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Transport.ManagementPort.MetricsPath).WithMetadata(Transport.ManagementEndpoint.Metrics);
        return app;
    }

    private static void Endpoint(OtlpExporterOptions o, Uri endpoint, string signal)
    {
        // OTLP over HTTP/protobuf wants one URL per signal; gRPC (port 4317) takes the base address.
        o.Protocol = endpoint.Port == 4317 ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        o.Endpoint = o.Protocol == OtlpExportProtocol.Grpc ? endpoint : new Uri(endpoint, signal);
    }
}
