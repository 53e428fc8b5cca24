using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace GeoDns.Sidecar.Tests.Delegation;

/// <summary>
/// Cloudflare's DNS records API (v4) as far as the delegate hook uses it, on a loopback port: zones by
/// name, records listed by type and name, created, overwritten and deleted, every reply in Cloudflare's
/// envelope (<c>success</c>, <c>errors</c>, <c>result</c>), and a bearer token checked. A paid cloud, so a
/// fake; the calls it received are kept for the test to assert.
/// </summary>
public sealed class FakeCloudflare : IDisposable
{
    public const string ZoneId = "023e105f4ecef8ad9ca31a8372d0c353";
    private readonly HttpListener _listener = new();
    private readonly List<JsonObject> _records = [];
    private readonly List<string> _calls = [];
    private readonly string _zone;
    private readonly string _token;
    private int _next;

    public FakeCloudflare(string zone, string token)
    {
        (_zone, _token) = (zone, token);
        var port = NginxProcess.FreePort(IPAddress.Loopback);
        Api = $"http://127.0.0.1:{port}/client/v4";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = ServeAsync();
    }

    public string Api { get; }

    public IReadOnlyList<string> TakeCalls()
    {
        lock (_calls)
        {
            var calls = _calls.ToList();
            _calls.Clear();
            return calls;
        }
    }

    public void Add(string type, string name, string content, int ttl = 1, bool? proxied = null)
    {
        lock (_records) _records.Add(Record(type, name, content, ttl, proxied));
    }

    /// <summary>The records as "TYPE NAME CONTENT ttl=N proxied=B", sorted.</summary>
    public IReadOnlyList<string> Records()
    {
        lock (_records)
            return _records.Select(r => $"{r["type"]} {r["name"]} {r["content"]} ttl={r["ttl"]} proxied={(r["proxied"]?.GetValue<bool>() ?? false).ToString().ToLowerInvariant()}").Order(StringComparer.Ordinal).ToList();
    }

    private JsonObject Record(string type, string name, string content, int ttl, bool? proxied)
    {
        var record = new JsonObject { ["id"] = $"rec{Interlocked.Increment(ref _next):D4}", ["zone_id"] = ZoneId, ["type"] = type, ["name"] = name, ["content"] = content, ["ttl"] = ttl };
        // Cloudflare reports "proxiable"/"proxied" for A, AAAA and CNAME only.
        if (type is "A" or "AAAA" or "CNAME") record["proxied"] = proxied ?? false;
        return record;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var request = context.Request;
            var body = await new StreamReader(request.InputStream).ReadToEndAsync();
            var path = request.Url!.AbsolutePath;
            lock (_calls) _calls.Add($"{request.HttpMethod} {path}{request.Url.Query}");
            var (status, reply) = request.Headers["Authorization"] != $"Bearer {_token}"
                ? (403, Envelope(null, "Invalid API Token", 9109))
                : Handle(request.HttpMethod, path, request.QueryString, body);
            var bytes = Encoding.UTF8.GetBytes(reply.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int, JsonObject) Handle(string method, string path, System.Collections.Specialized.NameValueCollection query, string body)
    {
        var records = $"/client/v4/zones/{ZoneId}/dns_records";
        lock (_records)
        {
            if (method == "GET" && path == "/client/v4/zones")
                return (200, Envelope(query["name"] == _zone ? new JsonArray(new JsonObject { ["id"] = ZoneId, ["name"] = _zone }) : new JsonArray()));
            if (method == "GET" && path == records)
                return (200, Envelope(new JsonArray(_records.Where(r => (query["type"] is null || (string?)r["type"] == query["type"]) && (query["name"] is null || (string?)r["name"] == query["name"])).Select(r => r.DeepClone()).ToArray())));
            if (method == "POST" && path == records)
            {
                var sent = JsonNode.Parse(body)!.AsObject();
                if (sent["type"]?.GetValue<string>() == "NS" && sent.ContainsKey("proxied")) return (400, Envelope(null, "NS records cannot be proxied", 9004));
                var record = Record(sent["type"]!.GetValue<string>(), sent["name"]!.GetValue<string>(), sent["content"]!.GetValue<string>(), sent["ttl"]?.GetValue<int>() ?? 1, sent["proxied"]?.GetValue<bool>());
                _records.Add(record);
                return (200, Envelope(record.DeepClone()));
            }
            if (path.StartsWith(records + "/", StringComparison.Ordinal))
            {
                var id = path[(records.Length + 1)..];
                var index = _records.FindIndex(r => (string?)r["id"] == id);
                if (index < 0) return (404, Envelope(null, "Record does not exist.", 81044));
                if (method == "DELETE")
                {
                    _records.RemoveAt(index);
                    return (200, Envelope(new JsonObject { ["id"] = id }));
                }
                if (method == "PUT")
                {
                    var sent = JsonNode.Parse(body)!.AsObject();
                    var record = Record(sent["type"]!.GetValue<string>(), sent["name"]!.GetValue<string>(), sent["content"]!.GetValue<string>(), sent["ttl"]?.GetValue<int>() ?? 1, sent["proxied"]?.GetValue<bool>());
                    record["id"] = id;
                    _records[index] = record;
                    return (200, Envelope(record.DeepClone()));
                }
            }
        }
        return (404, Envelope(null, $"no route for {method} {path}", 7000));
    }

    private static JsonObject Envelope(JsonNode? result, string? error = null, int code = 0) => new()
    {
        ["success"] = error is null,
        ["errors"] = error is null ? new JsonArray() : new JsonArray(new JsonObject { ["code"] = code, ["message"] = error }),
        ["messages"] = new JsonArray(),
        ["result"] = result,
    };

    public void Dispose() => _listener.Close();
}
