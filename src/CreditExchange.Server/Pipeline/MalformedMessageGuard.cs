using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// grpc-dotnet deserialises a unary request before any interceptor runs and answers UNKNOWN when
/// the bytes are not valid protobuf. This provider replaces the default one and binds every
/// service with request marshallers that turn a parse failure into INVALID_ARGUMENT
/// (reason MALFORMED_MESSAGE), so no input can reach UNKNOWN.
/// </summary>
public static class MalformedMessageGuard
{
    public static IServiceCollection AddMalformedMessageGuard(this IServiceCollection services)
    {
        var defaults = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true).ToList();
        if (defaults.Count != 1)
        {
            throw new InvalidOperationException("grpc-dotnet's default service method provider was not found; call AddGrpc() first.");
        }

        services.Remove(defaults[0]);
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(GuardedServiceMethodProvider<>)));
        return services;
    }

    internal static Marshaller<T> Guard<T>(Marshaller<T> marshaller) => new(
        marshaller.ContextualSerializer,
        context =>
        {
            try
            {
                return marshaller.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException)
            {
                throw CallErrors.MalformedMessage();
            }
        });
}

internal sealed class GuardedServiceMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var bindMethod = bind.BindType.GetMethod(
                    bind.BindMethodName,
                    BindingFlags.Public | BindingFlags.Static,
                    [typeof(ServiceBinderBase), type]);
                bindMethod?.Invoke(null, [new Binder(context, type), null]);
                return;
            }
        }
    }

    /// <summary>Receives the generated BindService calls and registers each method with guarded marshallers.</summary>
    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type baseType) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Guarded(method), metadata, invoker);
        }

        private static Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
            new(method.Type, method.ServiceName, method.Name, MalformedMessageGuard.Guard(method.RequestMarshaller), method.ResponseMarshaller);

        // As grpc-dotnet's own binder: the implementation's override of the generated virtual
        // method (or the generated one, which answers UNIMPLEMENTED), plus its attributes.
        private (TDelegate Invoker, List<object> Metadata) Model<TDelegate>(string name, params Type[] parameters)
            where TDelegate : Delegate
        {
            MethodInfo? handler = null;
            for (var type = typeof(TService); type is not null && handler is null; type = type.BaseType)
            {
                var candidate = type.GetMethod(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly, null, parameters, null);
                if (candidate is { IsVirtual: true } && candidate.GetBaseDefinition().DeclaringType == baseType)
                {
                    handler = candidate;
                }
            }

            if (handler is null)
            {
                throw new InvalidOperationException($"Could not find the handler of '{name}' on {typeof(TService)}.");
            }

            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }
    }
}
