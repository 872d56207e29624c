using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;

namespace CreditExchange.DevTsa;

/// <summary>
/// A development RFC 3161 time-stamping authority over plain HTTP (RFC 3161 §3.4): a POST of an
/// <c>application/timestamp-query</c> is answered with an <c>application/timestamp-reply</c> whose token is signed by
/// the TSA key (BouncyCastle's <see cref="TimeStampResponseGenerator"/>), carrying the TSA certificate when asked.
/// It can be stopped and started again on the same port (an authority that goes away and comes back).
/// </summary>
public sealed class DevTimestampAuthority : IAsyncDisposable
{
    /// <summary>The policy the development authority names in its tokens (an arbitrary private OID).</summary>
    public const string PolicyOid = "1.3.6.1.4.1.55555.3161.1";

    private readonly TimeStampResponseGenerator _generator;
    private readonly Lock _gate = new();
    private HttpListener? _listener;
    private Task _serving = Task.CompletedTask;
    private long _serial;

    private DevTimestampAuthority(TimeStampResponseGenerator generator, int port)
    {
        _generator = generator;
        Port = port;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The URL to configure as Hub:Audit:TsaUrl.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>How many tokens it issued.</summary>
    public long Issued => Interlocked.Read(ref _serial);

    /// <summary>Starts an authority signing with the PEM certificate and key given, on <paramref name="port"/> (a free one when 0).</summary>
    public static DevTimestampAuthority Start(string certificatePath, string keyPath, int port = 0)
    {
        using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException($"{keyPath} is not an ECDSA key.");
        var bcKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
        var bcCertificate = new Org.BouncyCastle.X509.X509Certificate(certificate.RawData);
        var tokens = new TimeStampTokenGenerator(bcKey, bcCertificate, TspAlgorithms.Sha256, PolicyOid);
        tokens.SetCertificates(CollectionUtilities.CreateStore(new List<Org.BouncyCastle.X509.X509Certificate> { bcCertificate }));
        var authority = new DevTimestampAuthority(new TimeStampResponseGenerator(tokens, TspAlgorithms.Allowed), port == 0 ? FreePort() : port);
        authority.Resume();
        return authority;
    }

    /// <summary>Stops answering (the port is closed) until <see cref="Resume"/>.</summary>
    public async Task StopAsync()
    {
        Task serving;
        lock (_gate)
        {
            _listener?.Close();
            _listener = null;
            serving = _serving;
        }

        await serving.ConfigureAwait(false);
    }

    /// <summary>Listens (again) on <see cref="Port"/>.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            listener.Start();
            _listener = listener;
            _serving = Task.Run(() => ServeAsync(listener));
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away.
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        if (context.Request.HttpMethod != "POST" || context.Request.ContentType?.StartsWith("application/timestamp-query", StringComparison.OrdinalIgnoreCase) != true)
        {
            response.StatusCode = (int)HttpStatusCode.UnsupportedMediaType;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
        byte[] reply;
        try
        {
            var request = new TimeStampRequest(body.ToArray());
            var serial = BigInteger.ValueOf(Interlocked.Increment(ref _serial));
            lock (_gate)
            {
                reply = _generator.Generate(request, serial, DateTime.UtcNow).GetEncoded();
            }
        }
        catch (Exception e) when (e is TspException or IOException or ArgumentException)
        {
            lock (_gate)
            {
                reply = _generator.GenerateFailResponse(Org.BouncyCastle.Asn1.Cmp.PkiStatus.Rejection, Org.BouncyCastle.Asn1.Cmp.PkiFailureInfo.BadDataFormat, e.Message).GetEncoded();
            }
        }

        response.ContentType = "application/timestamp-reply";
        response.ContentLength64 = reply.Length;
        await response.OutputStream.WriteAsync(reply).ConfigureAwait(false);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
