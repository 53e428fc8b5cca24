using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GeoDns.Server.Admin;

/// <summary>
/// The admin endpoint and dashboard: an HTTP server of its own beside the DNS service, so that it can never take DNS
/// down. When its address cannot be bound (the guide puts it on the WireGuard tunnel's address, which exists only once
/// the tunnel is up) DNS is served all the same, and binding is tried again every <see cref="RetryInterval"/> until it works.
/// </summary>
public sealed partial class AdminServer(AdminSettings settings, DnsService dns, ServerOptions options, TimeProvider time, ILoggerFactory logs, AdminBinding binding)
    : IHostedService, IAsyncDisposable
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    // After the first failure a line a minute is enough: the address is the same every time.
    private static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);

    private readonly ILogger _log = logs.CreateLogger<AdminServer>();
    private readonly CancellationTokenSource _stop = new();
    private WebApplication? _app;
    private Task _retrying = Task.CompletedTask;

    public Uri? Uri => binding.Listening;

    /// <summary>The routes mapped while listening (none before): what the OpenAPI document must describe, no more and no less.</summary>
    public IReadOnlyList<Endpoint> Endpoints => _app?.Services.GetRequiredService<EndpointDataSource>().Endpoints ?? [];

    /// <summary>Binds once now, so that a start that can bind is listening when the host has started; else keeps trying in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TryStartAsync(cancellationToken)) return;
        _retrying = RetryAsync(_stop.Token);
    }

    private async Task RetryAsync(CancellationToken stop)
    {
        var lastLogged = time.GetUtcNow();
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(RetryInterval, time, stop); }
            catch (OperationCanceledException) { return; }
            if (await TryStartAsync(stop)) return;
            if (time.GetUtcNow() - lastLogged >= LogEvery)
            {
                lastLogged = time.GetUtcNow();
                StillNotBound(_log, settings.Endpoint!.ToString(), binding.Failures, binding.LastError!);
            }
        }
    }

    private async Task<bool> TryStartAsync(CancellationToken cancel)
    {
        var app = Build();
        try
        {
            await app.StartAsync(cancel);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            await app.DisposeAsync();
            if (cancel.IsCancellationRequested) return true; // stopping: nothing more to try
            var reason = Reason(e);
            if (binding.Failed($"{settings.Endpoint}: {reason}"))
                NotBound(_log, settings.Endpoint!.ToString(), reason, RetryInterval.TotalSeconds);
            return false;
        }
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        binding.Bound(new Uri(address));
        if (binding.Failures > 0) BoundAfter(_log, address, binding.Failures);
        return true;
    }

    private WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        // One log for the whole process: the host's (same format and filters).
        builder.Services.AddSingleton(logs);
        // The DNS host owns the process's signals and lifetime; this one is started and stopped by it.
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        // The admin reads through Observations and changes through Operations, never the service itself; Operations exists once the service has started.
        builder.Services.AddSingleton(dns.Observations);
        builder.Services.AddTransient(_ => dns.Operations!);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(binding);
        builder.Services.AddSingleton<FailedAttempts>();
        builder.Services.AddSingleton(dns.Observations.Home);
        builder.Services.AddSingleton<TokenCheck>();
        AdminOpenApi.AddServices(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.Endpoint!);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = AdminJson.MaxBodyBytes;
        });
        var app = builder.Build();
        AdminEndpoints.Map(app);
        return app;
    }

    /// <summary>The socket's own words ("Cannot assign requested address", "Address already in use"), without Kestrel's wrapping.</summary>
    private static string Reason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException socket) return socket.SocketErrorCode == SocketError.AddressNotAvailable
                ? $"{socket.Message} (the address is not on this machine yet: a tunnel not up?)"
                : socket.Message;
        return e.Message;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _retrying;
        if (_app is { } app) await app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        await _retrying;
        if (_app is { } app) await app.DisposeAsync();
        _app = null;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin endpoint not listening on {Endpoint}: {Reason}. DNS is served; trying again every {Seconds} s")]
    private static partial void NotBound(ILogger log, string endpoint, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin endpoint still not listening on {Endpoint} after {Attempts} attempts: {Error}")]
    private static partial void StillNotBound(ILogger log, string endpoint, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin endpoint listening on {Address}, after {Failures} failed attempt(s)")]
    private static partial void BoundAfter(ILogger log, string address, int failures);

    /// <summary>Starts and stops with the DNS host, and leaves Ctrl-C and SIGTERM to it.</summary>
    private sealed class OwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
