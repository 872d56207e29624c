using System.Diagnostics;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Grpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditExchange.Server.Telemetry;

/// <summary>Outermost interceptor: counts and times every CreditExchange call by method, agency and final status.</summary>
public sealed class MetricsInterceptor(HubMetrics metrics, AgencyRegistry registry) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        await MeasureAsync(context, () => continuation(request, context));

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        await MeasureAsync(context, () => continuation(requestStream, context));

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        await MeasureAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        await MeasureAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    private async Task<T> MeasureAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        if (!HubMethods.Contains(context.Method))
        {
            return await call();
        }

        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        catch (OperationCanceledException)
        {
            code = context.Deadline <= DateTime.UtcNow ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;
            throw;
        }
        catch
        {
            code = StatusCode.Unknown;
            throw;
        }
        finally
        {
            var certificate = context.GetHttpContext().Connection.ClientCertificate;
            var agency = (certificate is null ? null : registry.FindByCertificate(certificate, ignorePin: true)?.Id) ?? "unregistered";
            metrics.CallFinished(context.Method, agency, (int)code, Stopwatch.GetElapsedTime(started));
        }
    }
}
