using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GeoDns.Contracts;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// One nameserver's admin API in memory, in the shape GeoDns serves it (edges with per-address
/// states), for engine tests that need control of every answer and of time.
/// </summary>
public sealed class FakeNameserver(string pool)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Source, string Address, bool Drained)> _edges = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _requests = [];
    private readonly Queue<HttpStatusCode> _failures = new();

    /// <summary>The state every edge is reported in.</summary>
    public string StateOfNewEdges { get; set; } = "Up";

    /// <summary>Per-edge states that win over <see cref="StateOfNewEdges"/>.</summary>
    public Dictionary<string, string> States { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? RequiredToken { get; set; } = "admin-token";

    /// <summary>What <c>/healthz</c> says: its status ("ready", "degraded", "starting"), version and warnings.</summary>
    public string Status { get; set; } = "ready";

    public string Version { get; set; } = "1.4.0";

    public List<string> Warnings { get; } = [];

    /// <summary>Per-edge instants the probed state began (null: not reported).</summary>
    public Dictionary<string, DateTimeOffset> Since { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-edge days left on the certificate an HTTPS probe saw (null: a TCP probe).</summary>
    public Dictionary<string, int> CertificateDays { get; } = new(StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<string, PassiveView> _passive = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>False: <c>GET /v1/zones</c> is 404.</summary>
    public bool ListsZones { get; set; } = true;

    /// <summary>What <c>GET /v1/zones</c> says: one zone, example.com, served under this SOA serial.</summary>
    public uint Serial { get; set; } = 2026030101;

    /// <summary>When the zone files last loaded, and last failed to; null is sent as null (a server older than these fields leaves them out).</summary>
    public DateTimeOffset? ReloadedAt { get; set; }

    public DateTimeOffset? ReloadFailedAt { get; set; }

    /// <summary>Per edge, the countries it is answered to (continent → ISO codes); an edge not here has none, as from a server older than the field.</summary>
    public Dictionary<string, Dictionary<string, IReadOnlyList<string>>> AnswersFor { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Requests { get { lock (_lock) return [.. _requests]; } }

    /// <summary>The pool's emergency switch, as the server keeps it (null: off); its records are <see cref="EmergencyRecords"/>.</summary>
    public (DateTimeOffset Since, string? Reason)? Emergency { get; set; }

    public List<string> EmergencyRecords { get; } = [$"{pool}. 5 IN CNAME maintenance.example.net."];

    public bool Has(string edge) { lock (_lock) return _edges.ContainsKey(edge); }

    public bool IsDrained(string edge) { lock (_lock) return _edges.TryGetValue(edge, out var e) && e.Drained; }

    public FakeNameserver WithConfigEdge(string name, string address)
    {
        lock (_lock) _edges[name] = ("config", address, false);
        return this;
    }

    /// <summary>The next requests are answered with these statuses, before the real handling resumes.</summary>
    public void FailNext(params HttpStatusCode[] statuses)
    {
        lock (_lock) foreach (var status in statuses) _failures.Enqueue(status);
    }

    public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync();
        var path = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        lock (_lock)
        {
            _requests.Add($"{request.Method} /{string.Join('/', path)}");
            if (RequiredToken is not null && request.Headers.Authorization?.ToString() != $"Bearer {RequiredToken}") return Reply(HttpStatusCode.Unauthorized, new { error = "token" });
            if (_failures.TryDequeue(out var failure)) return Reply(failure, new { error = "injected" });
            return (request.Method.Method, path) switch
            {
                // As the server: 503 carries the same document while not ready.
                ("GET", ["healthz"]) => Reply(Status == "ready" ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, new
                {
                    status = Status,
                    version = Version,
                    error = Status == "ready" ? null : "not ready",
                    zones = Status == "ready" ? 1 : (int?)null,
                    // As the server: a pool's emergency answer on is a warning of its own.
                    warnings = Warnings.Count > 0 || Emergency is not null ? Warnings.Concat(Emergency is null ? [] : new[] { EmergencyView().Warning() }).ToList() : null,
                }),
                // As the server, trimmed to what the sidecar reads (and one member it does not).
                ("GET", ["v1", "zones"]) when ListsZones => Reply(HttpStatusCode.OK, new
                {
                    zones = new[] { new { origin = "example.com.", serial = Serial, records = 4 } },
                    reloadedAt = ReloadedAt,
                    reloadFailedAt = ReloadFailedAt,
                }),
                ("GET", ["v1", "edges"]) => Reply(HttpStatusCode.OK, _edges.Select(e => View(e.Key, e.Value.Source, e.Value.Address, e.Value.Drained)).ToList()),
                ("POST", ["v1", "pools", var p, "edges"]) when p == pool => Add(JsonNode.Parse(body)!),
                ("PUT", ["v1", "edges", var name, "drain"]) => Drain(name, true),
                ("DELETE", ["v1", "edges", var name, "drain"]) => Drain(name, false),
                ("PUT", ["v1", "edges", var name, "tunnel"]) => Tunnel(name, JsonNode.Parse(body)!),
                ("DELETE", ["v1", "pools", var p, "edges", var name]) when p == pool => Remove(name),
                ("GET", ["v1", "pools", var p, "emergency"]) when p == pool => Reply(HttpStatusCode.OK, EmergencyView()),
                ("PUT", ["v1", "pools", var p, "emergency"]) when p == pool => SwitchEmergency(true, body),
                ("DELETE", ["v1", "pools", var p, "emergency"]) when p == pool => SwitchEmergency(false, body),
                _ => Reply(HttpStatusCode.NotFound, new { error = "no such endpoint or pool" }),
            };
        }
    }

    private HttpResponseMessage SwitchEmergency(bool on, string body)
    {
        var reason = body == "" ? null : JsonNode.Parse(body)?["reason"]?.GetValue<string>();
        Emergency = !on ? null : Emergency is { } kept ? kept with { Reason = reason ?? kept.Reason } : (DateTimeOffset.UtcNow, reason);
        return Reply(HttpStatusCode.OK, EmergencyView());
    }

    private EmergencyView EmergencyView() => new(pool, Emergency is not null, Emergency?.Since, Emergency?.Reason, EmergencyRecords);

    private HttpResponseMessage Add(JsonNode edge)
    {
        var name = edge["name"]!.GetValue<string>();
        if (_edges.TryGetValue(name, out var existing) && existing.Source == "config") return Reply(HttpStatusCode.Conflict, new { error = "config edge" });
        _edges[name] = ("api", edge["ipv4"]?.GetValue<string>() ?? "", false);
        return Reply(HttpStatusCode.Created, new { name });
    }

    /// <summary>The last tunnel report per edge: "down: REASON (hold N s)" or "up".</summary>
    public Dictionary<string, string> Tunnels { get; } = new(StringComparer.OrdinalIgnoreCase);

    private HttpResponseMessage Tunnel(string name, JsonNode report)
    {
        if (!_edges.ContainsKey(name)) return Reply(HttpStatusCode.NotFound, new { error = "no such edge" });
        var state = report["state"]!.GetValue<string>();
        Tunnels[name] = state == "down" ? $"down: {report["reason"]?.GetValue<string>()} (hold {report["holdSeconds"]?.GetValue<double>()} s)" : state;
        var hold = report["holdSeconds"]?.GetValue<double>() ?? 0;
        if (state == "down") _passive[name] = new PassiveView(report["reason"]?.GetValue<string>() ?? "", DateTimeOffset.UtcNow.AddSeconds(hold), hold);
        else _passive.Remove(name);
        return Reply(HttpStatusCode.OK, new[] { new { name } });
    }

    private HttpResponseMessage Drain(string name, bool drained)
    {
        if (!_edges.TryGetValue(name, out var edge)) return Reply(HttpStatusCode.NotFound, new { error = "no such edge" });
        _edges[name] = edge with { Drained = drained };
        return Reply(HttpStatusCode.OK, new { name });
    }

    private HttpResponseMessage Remove(string name)
    {
        if (!_edges.TryGetValue(name, out var edge)) return Reply(HttpStatusCode.NotFound, new { error = "no such edge" });
        if (edge.Source == "config") return Reply(HttpStatusCode.Conflict, new { error = $"edge '{name}' comes from the config file; remove it there" });
        _edges.Remove(name);
        return Reply(HttpStatusCode.OK, new { removed = name });
    }

    /// <summary>An edge in the record the real server serves (GeoDns.Contracts), so the client reads the shape it meets in production.</summary>
    private EdgeView View(string name, string source, string address, bool drained)
    {
        var state = Enum.Parse<EdgeState>(States.GetValueOrDefault(name, StateOfNewEdges), ignoreCase: true);
        var up = state == EdgeState.Up && !drained;
        return new EdgeView(pool, name, source, up, drained, null, null, null, null, null, null, 1,
            [new AddressView(address, $"{address}:443", state, state, up, Since.TryGetValue(name, out var since) ? since : null, null, 0, 0,
                CertificateDays.TryGetValue(name, out var days) ? days : null) { Passive = _passive.GetValueOrDefault(name) }])
        {
            AnswersFor = AnswersFor.TryGetValue(name, out var countries) ? countries.ToDictionary(c => c.Key, c => c.Value) : null,
        };
    }

    private static HttpResponseMessage Reply(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body, Json), System.Text.Encoding.UTF8, "application/json") };
}
