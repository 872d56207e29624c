using CreditExchange.Server.Calls;
using CreditExchange.Server.Settings;
using CreditExchange.Server.Validation;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// gRPC itself, shared by every feature: the server with the one call pipeline (<see cref="CallPipeline"/>), the call
/// context, request validation against the contract, gzip that refuses corrupt requests, and reflection.
/// </summary>
public static class PipelineExtensions
{
    public static IHostApplicationBuilder AddPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(HubMethods.Contract);
        // The severity table is read and checked now, so a bad file stops the hub at start-up.
        var severityTable = builder.Configuration[SeverityTableFile.SettingKey] ?? SeverityTableFile.DefaultPath;
        services.AddSingleton(SeverityTableFile.Load(Path.GetFullPath(severityTable, AppContext.BaseDirectory)));
        services.AddSingleton<RecordRules>();
        services.AddSingleton<RequestValidator>();
        services.AddScoped<CallContext>();
        services.AddSingleton<CallAuthorization>();
        services.AddSingleton<CallErrors>();

        var hub = builder.GetHubOptions();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<CallPipeline>();
            o.MaxReceiveMessageSize = hub.MaxMessageBytes;
            o.EnableDetailedErrors = false;
            o.CompressionProviders = [new GzipRequests()];
        })
            // HTTP JSON for methods with google.api.http routes (PublicationService, for the website's back
            // end); such calls run through the same pipeline as gRPC (certificate, token, scope, audit). A refusal is
            // written as google.rpc.Status JSON with its details (ErrorInfo, RetryInfo, BadRequest…) and the HTTP status
            // of its code: without these types in the registry the transcoder cannot write the details and answers 500.
            .AddJsonTranscoding(o => o.TypeRegistry = TypeRegistry.FromFiles([.. ErrorDetailReflection.ErrorFiles]));
        services.AddMalformedMessageGuard();
        services.AddGrpcReflection().AddErrorDetailReflection();
        return builder;
    }

    public static WebApplication MapPipeline(this WebApplication app)
    {
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>
    /// Refuses to start when the contract does not declare every method's policy (the pipeline reads scope, deadline
    /// and gate from it), or when a method of the contract is not mapped (a feature forgot its MapGrpcService: its
    /// calls would answer UNIMPLEMENTED and escape every suite that enumerates the contract).
    /// </summary>
    public static void EnsureContractServed(this WebApplication app)
    {
        var methods = app.Services.GetRequiredService<HubMethods>();
        if (methods.PolicyProblems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("The contract's method policies are incomplete: " + string.Join("; ", problems) + ".");
        }

        var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method)
            .OfType<Grpc.Core.IMethod>()
            .Select(m => m.FullName)
            .ToHashSet(StringComparer.Ordinal);
        var missing = methods.All.Select(m => m.Path).Where(p => !mapped.Contains(p)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("Methods of the contract are not served (map their service): " + string.Join(", ", missing) + ".");
        }
    }
}
