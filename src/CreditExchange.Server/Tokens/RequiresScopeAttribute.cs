namespace CreditExchange.Server.Tokens;

/// <summary>
/// The scope a gRPC method requires, declared once on the service method. A CreditExchange
/// method without it is refused (fail closed).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}
