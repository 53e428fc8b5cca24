using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoDns.Contracts;

namespace GeoDns.Sidecar.Admin;

/// <summary>
/// A typed client of one GeoDns nameserver's admin API. Each call is one attempt: retrying is
/// <see cref="Nameservers"/>' job. Answers that mean "already so" (409 on add, 404 on remove)
/// succeed, so every call can be repeated after a crash.
/// </summary>
public sealed class NameserverClient(Uri baseUrl, string token, HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The server names states as words ("Up"); a newer server's extra fields are ignored.
        Converters = { new JsonStringEnumConverter() },
    };

    public Uri BaseUrl { get; } = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    public override string ToString() => BaseUrl.GetLeftPart(UriPartial.Authority);

    /// <summary><c>POST /v1/pools/{pool}/edges</c>; 409 (there already) is success.</summary>
    public async Task<Outcome> AddEdgeAsync(string pool, EdgeHost edge, CancellationToken cancel)
    {
        var body = new EdgeRequest(edge.Name, edge.Ipv4, edge.Ipv6, edge.Latitude, edge.Longitude, edge.Country, edge.Weight);
        using var response = await SendAsync(HttpMethod.Post, AdminPaths.For(AdminPaths.PoolEdges, pool), JsonContent.Create(body, options: Json), cancel);
        return response.StatusCode == HttpStatusCode.Conflict ? Outcome.Success : await Judge(response, $"adding {edge.Name} to {pool}", cancel);
    }

    /// <summary><c>PUT /v1/edges/{name}/drain</c>. A 404 fails: an edge we cannot drain must not be destroyed.</summary>
    public async Task<Outcome> DrainAsync(string edge, string reason, CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Put, AdminPaths.For(AdminPaths.Drain, name: edge), JsonContent.Create(new DrainRequest(reason), options: Json), cancel);
        return await Judge(response, $"draining {edge}", cancel);
    }

    /// <summary><c>DELETE /v1/edges/{name}/drain</c>: back in the answers; 404 (not drained, or unknown) is success.</summary>
    public async Task<Outcome> UndrainAsync(string edge, CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Delete, AdminPaths.For(AdminPaths.Drain, name: edge), null, cancel);
        return response.StatusCode == HttpStatusCode.NotFound ? Outcome.Success : await Judge(response, $"undraining {edge}", cancel);
    }

    /// <summary>
    /// <c>DELETE /v1/pools/{pool}/edges/{name}</c>; 404 (gone already) is success. So is 409, with a
    /// note: the edge comes from the nameserver's config file, which only its owner edits; it stays drained.
    /// </summary>
    public async Task<Outcome> RemoveEdgeAsync(string pool, string edge, CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Delete, AdminPaths.For(AdminPaths.PoolEdge, pool, edge), null, cancel);
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => Outcome.Success,
            HttpStatusCode.Conflict => Outcome.Noted($"{this}: {edge} is in the nameserver's config file: delete it there (it stays drained meanwhile)"),
            _ => await Judge(response, $"removing {edge} from {pool}", cancel),
        };
    }

    /// <summary>
    /// <c>PUT /v1/edges/{name}/tunnel</c>: the edge's tunnel is down (held <paramref name="hold"/> unless renewed) or up
    /// again. A 404 succeeds with a note: that nameserver has no such edge (yet), so there is nothing to take out.
    /// </summary>
    public async Task<Outcome> ReportTunnelAsync(string edge, bool down, string reason, TimeSpan hold, CancellationToken cancel)
    {
        var body = new TunnelRequest(down ? "down" : "up", reason, Math.Round(hold.TotalSeconds));
        using var response = await SendAsync(HttpMethod.Put, AdminPaths.For(AdminPaths.Tunnel, name: edge), JsonContent.Create(body, options: Json), cancel);
        return response.StatusCode == HttpStatusCode.NotFound
            ? Outcome.Noted($"{this}: has no edge {edge}")
            : await Judge(response, $"reporting the tunnel of {edge} {(down ? "down" : "up")}", cancel);
    }

    /// <summary>
    /// <c>PUT</c> (on, with <paramref name="reason"/>) or <c>DELETE /v1/pools/{pool}/emergency</c>: the pool's emergency switch
    /// as the nameserver has it afterwards. Safe to repeat: on again keeps its since, off again stays off. A 409 (the pool
    /// has no emergency or fallback records there) and a 404 (no such pool there) fail with the nameserver's words.
    /// </summary>
    public async Task<Outcome<EmergencyView>> SetEmergencyAsync(string pool, bool on, string? reason, CancellationToken cancel)
    {
        var path = AdminPaths.For(AdminPaths.Emergency, pool);
        using var response = on
            ? await SendAsync(HttpMethod.Put, path, JsonContent.Create(new EmergencyRequest(reason), options: Json), cancel)
            : await SendAsync(HttpMethod.Delete, path, null, cancel);
        var judged = await Judge(response, $"turning the emergency answer of {pool} {(on ? "on" : "off")}", cancel);
        if (!judged.Ok) return Outcome<EmergencyView>.Failed(judged.Error!, judged.Retryable);
        var view = await response.Content.ReadFromJsonAsync<EmergencyView>(Json, cancel) ?? throw new JsonException("expected a JSON object of the emergency switch, got null");
        return Outcome<EmergencyView>.Success(view);
    }

    /// <summary><c>GET /v1/pools/{pool}/emergency</c>; null when the nameserver has no such pool, or is older than the switch (both 404).</summary>
    public async Task<Outcome<EmergencyView?>> EmergencyAsync(string pool, CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Get, AdminPaths.For(AdminPaths.Emergency, pool), null, cancel);
        if (response.StatusCode == HttpStatusCode.NotFound) return Outcome<EmergencyView?>.Success(null);
        var judged = await Judge(response, $"reading the emergency switch of {pool}", cancel);
        if (!judged.Ok) return Outcome<EmergencyView?>.Failed(judged.Error!, judged.Retryable);
        return Outcome<EmergencyView?>.Success(await response.Content.ReadFromJsonAsync<EmergencyView>(Json, cancel));
    }

    /// <summary>
    /// Whether the nameserver answers and takes our token for changes: a change that changes nothing
    /// (undraining an edge no one has) passes the token check first, then answers 404.
    /// </summary>
    public async Task<Outcome> CheckTokenAsync(CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Delete, AdminPaths.For(AdminPaths.Drain, name: "geodns-sidecar-preflight"), null, cancel);
        return response.StatusCode == HttpStatusCode.NotFound ? Outcome.Success : await Judge(response, "checking the admin token", cancel) is { Ok: false } failed
            ? failed : Outcome.Failed($"{this}: checking the admin token: expected 404, got {(int)response.StatusCode}");
    }

    /// <summary><c>GET /v1/edges</c>: every edge the nameserver knows, with its state.</summary>
    public async Task<Outcome<IReadOnlyList<NameserverEdge>>> EdgesAsync(CancellationToken cancel)
    {
        var views = await EdgeViewsAsync(cancel);
        return views.Ok
            ? Outcome<IReadOnlyList<NameserverEdge>>.Success(views.Value!.Select(NameserverEdge.From).ToList())
            : Outcome<IReadOnlyList<NameserverEdge>>.Failed(views.Error!, views.Retryable);
    }

    /// <summary><c>GET /v1/edges</c> as the nameserver words it: addresses, country, whether answers hold it now.</summary>
    public async Task<Outcome<IReadOnlyList<EdgeView>>> EdgeViewsAsync(CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Get, AdminPaths.Edges, null, cancel);
        var judged = await Judge(response, "listing edges", cancel);
        if (!judged.Ok) return Outcome<IReadOnlyList<EdgeView>>.Failed(judged.Error!, judged.Retryable);
        var views = await response.Content.ReadFromJsonAsync<List<EdgeView>>(Json, cancel) ?? throw new JsonException("expected a JSON array of edges, got null");
        return Outcome<IReadOnlyList<EdgeView>>.Success(views);
    }

    /// <summary><c>GET /v1/zones</c>: the origins of the zones the nameserver serves (without the trailing dot).</summary>
    public async Task<Outcome<IReadOnlyList<string>>> ZonesAsync(CancellationToken cancel)
    {
        var zones = await ZoneListAsync(cancel);
        return zones.Ok
            ? Outcome<IReadOnlyList<string>>.Success([.. zones.Value!.Zones.Select(z => z.Origin)])
            : Outcome<IReadOnlyList<string>>.Failed(zones.Error!, zones.Retryable);
    }

    /// <summary><c>GET /v1/zones</c>: the zones served with their serials, and when the zone files last loaded and last failed to.</summary>
    public async Task<Outcome<NameserverZones>> ZoneListAsync(CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Get, "v1/zones", null, cancel);
        var judged = await Judge(response, "listing zones", cancel);
        if (!judged.Ok) return Outcome<NameserverZones>.Failed(judged.Error!, judged.Retryable);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancel), cancellationToken: cancel);
        // The view holds much more (records, errors, secondaries), so only what is read here matters of a newer server's shape.
        // Origins are in every version; the serial answered (servedSerial, with transfers) or the file's, and the reload times, may not be.
        var root = json.RootElement;
        var zones = root.GetProperty("zones").EnumerateArray()
            .Select(z => new NameserverZones.Served(z.GetProperty("origin").GetString()!.TrimEnd('.'), Number(z, "servedSerial") ?? Number(z, "serial")))
            .ToList();
        return Outcome<NameserverZones>.Success(new NameserverZones(zones, Instant(root, "reloadedAt"), Instant(root, "reloadFailedAt")));
    }

    private static uint? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var number) ? number : null;

    private static DateTimeOffset? Instant(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at) ? at : null;

    /// <summary><c>GET /healthz</c>: "ready", "degraded" or "starting", the version it runs, and why it is not ready.</summary>
    public async Task<Outcome<NameserverHealth>> HealthAsync(CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Get, "healthz", null, cancel);
        // 503 carries the same document (starting, degraded): the reasons are the point.
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.ServiceUnavailable)
            return Outcome<NameserverHealth>.Failed((await Judge(response, "reading /healthz", cancel)).Error!, retryable: true);
        var health = await response.Content.ReadFromJsonAsync<NameserverHealth>(Json, cancel) ?? throw new JsonException("expected a JSON object from /healthz, got null");
        return Outcome<NameserverHealth>.Success(health);
    }

    /// <summary>
    /// <c>/healthz</c>, then, once it says ready, the zones, and with <paramref name="edges"/> the edges: one guarded look
    /// within <paramref name="timeout"/>, whose every failure is a value (<see cref="GuardedAsync"/>).
    /// </summary>
    public Task<Outcome<NameserverProbe>> ProbeAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancel, bool edges = false) =>
        GuardedAsync(async token =>
        {
            var health = await HealthAsync(token);
            if (!health.Ok) return Outcome<NameserverProbe>.Failed(health.Error!, health.Retryable);
            var ready = health.Value!.Status == "ready";
            var zones = ready ? await ZonesAsync(token) : Outcome<IReadOnlyList<string>>.Success([]);
            if (!zones.Ok) return Outcome<NameserverProbe>.Failed(zones.Error!, zones.Retryable);
            var views = edges ? await EdgeViewsAsync(token) : Outcome<IReadOnlyList<EdgeView>>.Success(null!);
            if (!views.Ok) return Outcome<NameserverProbe>.Failed(views.Error!, views.Retryable);
            return Outcome<NameserverProbe>.Success(new NameserverProbe(health.Value, zones.Value!, views.Value));
        }, timeout, time, cancel);

    /// <summary>
    /// Runs <paramref name="call"/> against this nameserver within <paramref name="timeout"/>, and makes what an unreachable
    /// or confused nameserver throws (a refused connection, a timeout, a body that is not the JSON expected) a failed,
    /// retryable outcome; only <paramref name="cancel"/> still throws. Every health check goes through here, so all of
    /// them agree on what counts as "no answer".
    /// </summary>
    public async Task<Outcome<T>> GuardedAsync<T>(Func<CancellationToken, Task<Outcome<T>>> call, TimeSpan timeout, TimeProvider time, CancellationToken cancel)
    {
        using var limit = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, limit.Token);
        try
        {
            return await call(either.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return Outcome<T>.Failed($"{this}: no answer within {timeout.TotalSeconds:0.#} s", retryable: true);
        }
        // KeyNotFoundException and InvalidOperationException: JSON of another shape (JsonElement.GetProperty, GetString).
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            return Outcome<T>.Failed($"{this}: {e.Message}", retryable: true);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, cancel);
    }

    /// <summary>2xx succeeds; 5xx, 408 and 429 are worth a retry; any other answer is final and quoted.</summary>
    private async Task<Outcome> Judge(HttpResponseMessage response, string what, CancellationToken cancel)
    {
        if (response.IsSuccessStatusCode) return Outcome.Success;
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            return Outcome.Failed($"{this}: {what}: the admin token was refused ({status})");
        var body = (await response.Content.ReadAsStringAsync(cancel)).ReplaceLineEndings(" ").Trim();
        if (body.Length > 200) body = body[..200] + "...";
        var retryable = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        return Outcome.Failed($"{this}: {what}: {status} {response.ReasonPhrase}{(body == "" ? "" : ": " + body)}", retryable);
    }
}

/// <summary>What <c>/healthz</c> says, as far as the sidecar reads it; <see cref="Warnings"/>: what is served but worth a look (an isolated nameserver, a zone whose reload failed, a lost state file).</summary>
public sealed record NameserverHealth(string Status, string Version, string? Error, int? Zones = null, int? Pools = null, IReadOnlyList<string>? Warnings = null);
