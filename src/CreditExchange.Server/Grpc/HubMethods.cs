namespace CreditExchange.Server.Grpc;

/// <summary>
/// Which calls are the hub's own (certificate + token + scope, audited, rate-limited) as opposed
/// to reflection and health, which need the certificate only.
/// </summary>
public static class HubMethods
{
    private const string Prefix = "/creditexchange.";

    /// <summary>Whether a gRPC method path (e.g. "/creditexchange.records.v1.RecordService/GetRecord") is the hub's.</summary>
    public static bool Contains(string path) => path.StartsWith(Prefix, StringComparison.Ordinal);
}
