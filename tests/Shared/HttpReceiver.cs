using System.Diagnostics;
using System.Net;

namespace GeoDns.Testing;

/// <summary>A real HTTP server on loopback standing in for a webhook or ntfy: it keeps every request, and fails the first <see cref="FailFirst"/> with 503.</summary>
public sealed class HttpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<Received> _received = [];
    private readonly Task _loop;

    public HttpReceiver(int failFirst = 0)
    {
        FailFirst = failFirst;
        Port = FreePort.Pick();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public int Port { get; }
    public int FailFirst { get; set; }
    public int Refused { get; private set; }
    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";

    public IReadOnlyList<Received> Requests
    {
        get { lock (_received) return [.. _received]; }
    }

    /// <summary>Waits (at most 20 s) until <paramref name="count"/> requests were accepted.</summary>
    public async Task<IReadOnlyList<Received>> WaitAsync(int count)
    {
        for (var clock = Stopwatch.StartNew(); Requests.Count < count && clock.Elapsed < TimeSpan.FromSeconds(20);) await Task.Delay(50);
        return Requests;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (Refused < FailFirst)
            {
                Refused++;
                context.Response.StatusCode = 503;
            }
            else
            {
                var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                lock (_received) _received.Add(new Received(context.Request.Url!.AbsolutePath, headers, body));
                context.Response.StatusCode = 200;
            }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
