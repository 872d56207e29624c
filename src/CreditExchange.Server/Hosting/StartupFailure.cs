using System.Reflection;
using Microsoft.AspNetCore.Connections;
using CreditExchange.Server.Database;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Hosting;

/// <summary>
/// What Program.cs prints when the hub cannot start: one line that says what is wrong, never a stack
/// trace. A configuration mistake (missing or unreadable file, invalid setting, policy or rules
/// file) exits with <see cref="ConfigurationExitCode"/>; a database that cannot be reached at
/// start-up (not a mistake of configuration: retry later) exits with <see cref="UnavailableExitCode"/>.
/// </summary>
public static class StartupFailure
{
    public const int ConfigurationExitCode = 2;
    public const int UnavailableExitCode = 1;

    public static (int ExitCode, string Message) Describe(Exception e)
    {
        e = Unwrap(e);
        // Only a failure that comes from the database is a database outage: a socket error elsewhere (Kestrel's
        // bind failure wraps one) is not.
        if (StorageFailures.IsStorage(e) && StorageFailures.IsTransient(e))
        {
            return (UnavailableExitCode, $"the database cannot be reached or written ({Innermost(e).Message}); check that it runs, then start the hub again.");
        }

        if (StorageFailures.Chain(e).OfType<AddressInUseException>().Any())
        {
            return (ConfigurationExitCode, $"a listening address is already in use ({e.Message.ReplaceLineEndings(" ")}); " +
                "stop what holds it or set Hub:Url / Hub:Management:Url to a free port.");
        }

        var message = e switch
        {
            OptionsValidationException options => $"invalid settings: {string.Join("; ", options.Failures)}",
            FileNotFoundException file => $"a configured file does not exist: {file.FileName ?? file.Message}",
            DirectoryNotFoundException or UnauthorizedAccessException or IOException => $"a configured file cannot be read: {e.Message}",
            _ => e.Message + (e.InnerException is { } inner && inner.Message != e.Message ? $" ({Innermost(inner).Message})" : ""),
        };
        return (ConfigurationExitCode, message.ReplaceLineEndings(" "));
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    e = aggregate.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }
}
