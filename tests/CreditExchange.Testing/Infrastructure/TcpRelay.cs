using System.Net;
using System.Net.Sockets;

namespace CreditExchange.Tests.Infrastructure;

/// <summary>
/// A TCP relay on a loopback port in front of a hub, as a load balancer in TCP passthrough would be
/// (TLS runs end to end through it). A test can point it at another hub instance, drop every
/// connection (reset), or freeze them (bytes stop flowing, sockets stay open: a silent network).
/// While no hub listens on the target port, connections through the relay are reset at once.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Link> _links = [];
    private readonly Task _accepting;
    private int _accepted;

    public TcpRelay(int targetPort)
    {
        TargetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>https://127.0.0.1:port (the hub's development server certificate names 127.0.0.1).</summary>
    public Uri Address => new($"https://127.0.0.1:{Port}");

    /// <summary>Where new connections go; existing ones keep their hub.</summary>
    public int TargetPort { get; set; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Resets every open connection (both sides see a reset, as when a load balancer or a hub's host dies).</summary>
    public void DropAll()
    {
        foreach (var link in Take())
        {
            link.Abort();
        }
    }

    /// <summary>Stops relaying on every open connection without closing it: neither side hears anything more.</summary>
    public void FreezeAll()
    {
        lock (_links)
        {
            _links.ForEach(l => l.Frozen = true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accepting;
        _stop.Dispose();
    }

    private List<Link> Take()
    {
        lock (_links)
        {
            var all = _links.ToList();
            _links.Clear();
            return all;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = ConnectAsync(client);
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, TargetPort, _stop.Token);
        }
        catch (Exception)
        {
            new Link(client, server).Abort(); // nothing listens there (the hub is down): refuse, as a balancer without a backend does
            return;
        }

        var link = new Link(client, server);
        lock (_links)
        {
            _links.Add(link);
        }

        await Task.WhenAll(link.PumpAsync(client, server), link.PumpAsync(server, client));
        link.Abort();
        lock (_links)
        {
            _links.Remove(link);
        }
    }

    private sealed class Link(Socket client, Socket server)
    {
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool Frozen;

        public async Task PumpAsync(Socket from, Socket to)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0 || Frozen)
                    {
                        break;
                    }

                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                }

                if (!Frozen)
                {
                    to.Shutdown(SocketShutdown.Send); // pass the orderly close on
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }

            if (Frozen)
            {
                await _closed.Task; // keep both sockets open and silent until the relay drops them
            }
        }

        public void Abort()
        {
            foreach (var socket in new[] { client, server })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0); // close with a reset
                    socket.Close();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }
            }

            _closed.TrySetResult();
        }
    }
}
