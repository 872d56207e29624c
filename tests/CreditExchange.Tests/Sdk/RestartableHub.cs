using System.Net;
using System.Net.Sockets;
using System.Text;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;

namespace CreditExchange.Tests.ClientSdk;

/// <summary>
/// A hub instance behind a <see cref="TcpRelay"/> that a foreign SDK suite can stop, start again (on the
/// same database) and cut off, so that its feed follower meets real disconnects. The suite connects to
/// <see cref="ControlPort"/> on loopback, sends one command line and reads "ok" (or "error …"):
/// <c>stop</c> (the instance shuts down), <c>start</c> (a new instance, the relay pointed at it),
/// <c>drop</c> (every connection through the relay reset), <c>freeze</c> (every connection silenced).
/// </summary>
internal sealed class RestartableHub : IAsyncDisposable
{
    private readonly string _database;
    private readonly IDictionary<string, string?> _settings;
    private readonly TcpRelay _relay;
    private readonly TcpListener _control = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private HubHost? _hub;
    private Task _serving = Task.CompletedTask;

    private RestartableHub(string database, IDictionary<string, string?> settings, HubHost hub)
    {
        _database = database;
        _settings = settings;
        _hub = hub;
        _relay = new TcpRelay(hub.Address.Port);
    }

    /// <summary>The address clients use (the relay's).</summary>
    public Uri Address => _relay.Address;

    public int ControlPort { get; private set; }

    public static async Task<RestartableHub> StartAsync(string database, IDictionary<string, string?> settings)
    {
        var restartable = new RestartableHub(database, settings, await HubHost.StartAsync(database, settings));
        restartable._control.Start();
        restartable.ControlPort = ((IPEndPoint)restartable._control.LocalEndpoint).Port;
        restartable._serving = restartable.ServeAsync();
        return restartable;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _control.Stop();
        await _serving;
        await _relay.DisposeAsync();
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _control.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                string reply;
                try
                {
                    reply = await ExecuteAsync((await reader.ReadLineAsync(_stop.Token))?.Trim());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    reply = "error " + e.GetType().Name + ": " + e.Message;
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\n"));
            }
        }
    }

    private async Task<string> ExecuteAsync(string? command)
    {
        switch (command)
        {
            case "stop" when _hub is not null:
                await _hub.DisposeAsync();
                _hub = null;
                return "ok";
            case "start" when _hub is null:
                _hub = await HubHost.StartAsync(_database, _settings);
                _relay.TargetPort = _hub.Address.Port;
                return "ok";
            case "drop":
                _relay.DropAll();
                return "ok";
            case "freeze":
                _relay.FreezeAll();
                return "ok";
            default:
                return $"error unknown or out-of-order command '{command}' (the instance is {(_hub is null ? "stopped" : "running")})";
        }
    }
}
