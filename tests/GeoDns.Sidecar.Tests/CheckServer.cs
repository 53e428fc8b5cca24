using System.Net;
using System.Net.Http.Headers;
using GeoDns.Server;
using Microsoft.Extensions.Hosting;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// A real GeoDns server in this process for the <c>check</c> tests: DNS on a given loopback address and port (the
/// nameservers and the parent share one port on 127.0.0.1, .2, .3, as real ones share 53), one zone file that a
/// test may rewrite and reload, and optionally a pool.
/// </summary>
public sealed class CheckServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Scratch _scratch;
    private readonly string _zoneFile;
    private bool _stopped;

    private CheckServer(IHost host, Scratch scratch, string zoneFile, IPEndPoint dns)
    {
        (_host, _scratch, _zoneFile, Dns) = (host, scratch, zoneFile, dns);
        AdminUri = GeoDnsHost.AdminUri(host) ?? throw new InvalidOperationException("the admin endpoint did not start");
    }

    public IPEndPoint Dns { get; }
    public Uri AdminUri { get; }

    /// <summary>Starts a server answering <paramref name="zone"/> (zone-file text) at <paramref name="dns"/>; <paramref name="pool"/> is a JSON pool or null.</summary>
    public static async Task<CheckServer> StartAsync(IPEndPoint dns, string origin, string zone, string? pool)
    {
        var scratch = new Scratch();
        Directory.CreateDirectory(scratch["zones"]);
        var zoneFile = scratch[$"zones/{origin}.zone"];
        await File.WriteAllTextAsync(zoneFile, zone);
        await File.WriteAllTextAsync(scratch["geodns.json"], $$"""{ "pools": [{{pool}}] }""");
        var options = CommandLine.Parse(["--config", scratch["geodns.json"], "--zones", scratch["zones"], "--data", scratch["data"], "--listen", dns.ToString(), "--admin", "127.0.0.1:0"], out var error)
            ?? throw new InvalidOperationException(error);
        options.AdminToken = Nameserver.AdminToken;
        options.Transport.UdpSockets = 1;
        var host = GeoDnsHost.Create(options);
        await host.StartAsync();
        return new CheckServer(host, scratch, zoneFile, dns);
    }

    /// <summary>Rewrites the zone file and reloads it through the admin API, as an operator would.</summary>
    public async Task ReloadAsync(string zone)
    {
        await File.WriteAllTextAsync(_zoneFile, zone);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(AdminUri, "v1/zones/reload"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Nameserver.AdminToken);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"reload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Stops it, as a machine that died: DNS and the admin API stop answering.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        _scratch.Dispose();
    }
}
