using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using GeoDns.Alerts;
using GeoDns.Server;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Rotation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// deploy/prometheus: the rules pass promtool's check and their own unit tests, read only metrics that a real
/// nameserver or the sidecar writes (a misspelt name is a rule that never fires, and promtool cannot tell), and the
/// sidecar's <c>/metrics</c> is text Prometheus reads without complaint.
/// </summary>
public sealed partial class PrometheusRulesTests
{
    private const string Rules = "deploy/prometheus/geodns-rules.yml";

    [SkippableFact]
    public async Task Rules_PassPromtoolCheck_AndTheirUnitTests()
    {
        Skip.If(Executables.Find("promtool") is null, "promtool (Debian: prometheus) is not installed");
        var directory = Repository.File("deploy/prometheus");
        string[][] runs = [["check", "rules", "geodns-rules.yml"], ["test", "rules", "geodns-rules.test.yml"], ["check", "config", "--syntax-only", "prometheus.example.yml"]];
        foreach (var args in runs)
        {
            var run = await Script.RunAsync("promtool", args, TimeSpan.FromSeconds(60), directory);
            Assert.True(run.ExitCode == 0, $"promtool {string.Join(' ', args)}: {run.Describe()}");
        }
    }

    [Fact]
    public async Task Rules_ReadOnlyMetricsARealNameserverOrTheSidecarWrites()
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { "up" }; // Prometheus's own, per target
        known.UnionWith(PrometheusText.Parse(await ScrapeNameserverAsync()).Names);
        using var sidecar = FakeSidecar.Create();
        await using (var daemon = await RunningDaemon.StartAsync(sidecar))
            known.UnionWith(PrometheusText.Parse(await daemon.ScrapeAsync()).Names);

        var rules = RuleExpressions(File.ReadAllText(Repository.File(Rules)));
        Assert.True(rules.Count >= 20, $"only {rules.Count} rules read from {Rules}: is the reader here still right?");
        var unknown = new List<string>();
        foreach (var (alert, expr) in rules)
        {
            var names = MetricNames(expr);
            Assert.True(names.Count > 0, $"{alert}: no metric found in `{expr}`");
            unknown.AddRange(names.Where(n => !known.Contains(n)).Select(n => $"{alert}: {n}"));
        }
        Assert.True(unknown.Count == 0, "rules read metrics that nothing writes (they would never fire):\n" + string.Join('\n', unknown));
    }

    [Fact]
    public async Task SidecarMetrics_OnTheEndpoint_StrictText_LabelsEscaped_ListedInOperations()
    {
        // A channel's name is free text in sidecar.json. Only in the log here: a configured channel would be sent the
        // failed rotation's alert, and the daemon's stop would wait on its retries.
        const string channel = "ops \"pager\" \\ night\nshift";
        using var sidecar = FakeSidecar.Create();
        var failed = sidecar.Session.Journal.Begin("edge-2", "edge-2-r1", "test");
        sidecar.Session.Journal.Save(failed with { Status = RotationStatus.Failed, Error = "the create hook failed" });
        await using var daemon = await RunningDaemon.StartAsync(sidecar);
        var message = daemon.Daemon.AlertLog.Add(new AlertMessage("test", [new Alert("k", "t", "", AlertSeverity.Warning, false, sidecar.Time.GetUtcNow())]), [channel]);
        daemon.Daemon.AlertLog.Update(message, new Delivery(channel, DeliveryStatus.Failed, 3, "connection refused", sidecar.Time.GetUtcNow()));
        await FakeSidecar.Until(() => daemon.Daemon.AlertLog.Firing().Count > 0, "the failed rotation's alert");

        var (body, contentType) = await daemon.ScrapeWithTypeAsync();
        var text = PrometheusText.Parse(body);

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", contentType);
        Assert.True(text.Errors.Count == 0, string.Join('\n', text.Errors) + "\n---\n" + body);
        Assert.Equal(1, text.Value("geodns_sidecar_rotations", ("status", "failed")));
        Assert.Equal(0, text.Value("geodns_sidecar_rotations", ("status", "running")));
        Assert.Equal(3, text.Value("geodns_sidecar_rotation_budget_left")); // the failed rotation was begun today
        Assert.Equal(4, text.Value("geodns_sidecar_rotation_budget_daily"));
        Assert.Equal(daemon.Daemon.Fleet.At.ToUnixTimeSeconds(), text.Value("geodns_sidecar_fleet_look_timestamp_seconds"));
        Assert.Equal(1, text.Value("geodns_sidecar_alert_messages", ("channel", channel), ("status", "failed")));
        Assert.Equal(0, text.Value("geodns_sidecar_alert_messages", ("channel", channel), ("status", "sent")));
        Assert.Contains("channel=\"ops \\\"pager\\\" \\\\ night\\nshift\"", body);
        Assert.Equal(1, text.Value("geodns_sidecar_alerts_firing", ("kind", "rotation-failed")));

        var operations = File.ReadAllText(Repository.File("docs/operations.md"));
        Assert.All(text.Families.Keys, family => Assert.True(operations.Contains($"`{family}", StringComparison.Ordinal), $"docs/operations.md does not list {family}"));
        if (Executables.Find("promtool") is not null) Assert.Equal("", await LintAsync(body)); // Prometheus's own parser and naming lint
    }

    [Fact]
    public void SidecarMetrics_TheFleetAsLastSeen_NameserversEdgesTunnelsCertificateChannels()
    {
        using var sidecar = FakeSidecar.Create(o => o.Alerts.Channels = [new AlertChannelOptions { Url = "https://ntfy.sh/geodns-test", Type = AlertChannelType.Ntfy }]);
        var now = sidecar.Time.GetUtcNow();
        sidecar.Time.Advance(TimeSpan.FromSeconds(5)); // scraped 5 s after the look
        EdgeOpinion View(string ns, string state) => new(ns, state, state == "Up", false, null, null, null);
        var fleet = FleetSnapshot.Empty with
        {
            At = now,
            Nameservers = [new("ns1", "http://10.77.0.2:8053", null, null, "ready", "0.9.0", []), new("ns2", "http://10.77.0.3:8053", "no answer within 10 s", now.AddMinutes(-3), null, null, [])],
            Edges =
            [
                new("edge-1", "Serving", "DE", [View("ns1", "Down"), View("ns2", EdgeOpinion.Unreachable)], null, new TunnelState(true, "stale", now.AddSeconds(-300))),
                new("edge-2", "Serving", "SG", [View("ns1", "Up"), View("ns2", "Down")], now.AddSeconds(-90), new TunnelState(false, "fresh", now.AddSeconds(-10))),
                new("edge-3", null, "US", [View("ns1", "Up")], null, new TunnelState(false, "never, not yet stale")),
            ],
            Certificate = new Check.HomeCertificate("/etc/ssl/home/fullchain.pem", "app.example.com", now.AddDays(10), null),
            BudgetLeft = 2,
            DailyBudget = 4,
        };

        var body = SidecarMetrics.Write(sidecar.Session, fleet, running: 1, new MemoryAlertLog());
        var text = PrometheusText.Parse(body);

        Assert.True(text.Errors.Count == 0, string.Join('\n', text.Errors) + "\n---\n" + body);
        Assert.Equal(1, text.Value("geodns_sidecar_rotations_running"));
        Assert.Equal(2, text.Value("geodns_sidecar_rotation_budget_left"));
        Assert.Equal(1, text.Value("geodns_sidecar_nameserver_reachable", ("nameserver", "ns1")));
        Assert.Equal(0, text.Value("geodns_sidecar_nameserver_reachable", ("nameserver", "ns2")));
        Assert.Equal(1, text.Value("geodns_sidecar_edge_down", ("edge", "edge-1"))); // Down on every nameserver that answered
        Assert.Equal(0, text.Value("geodns_sidecar_edge_down", ("edge", "edge-2")));
        Assert.Equal(1, text.Value("geodns_sidecar_edge_role", ("edge", "edge-2"), ("role", "serving")));
        Assert.Equal(1, text.Value("geodns_sidecar_edge_role", ("edge", "edge-3"), ("role", "unknown")));
        Assert.Equal(95, text.Value("geodns_sidecar_edge_disagreeing_seconds", ("edge", "edge-2")));
        Assert.Equal(0, text.Value("geodns_sidecar_edge_disagreeing_seconds", ("edge", "edge-1")));
        Assert.Equal(1, text.Value("geodns_sidecar_tunnel_stale", ("edge", "edge-1")));
        Assert.Equal(0, text.Value("geodns_sidecar_tunnel_stale", ("edge", "edge-3")));
        Assert.Equal(305, text.Value("geodns_sidecar_tunnel_handshake_age_seconds", ("edge", "edge-1")));
        Assert.Equal(15, text.Value("geodns_sidecar_tunnel_handshake_age_seconds", ("edge", "edge-2")));
        Assert.DoesNotContain(text.Samples, s => s.Name == "geodns_sidecar_tunnel_handshake_age_seconds" && s.Labels["edge"] == "edge-3"); // never handshook
        Assert.Equal(1, text.Value("geodns_sidecar_home_certificate_readable"));
        Assert.Equal(10 * 86400 - 5, text.Value("geodns_sidecar_home_certificate_remaining_seconds"));
        Assert.All(Enum.GetNames<DeliveryStatus>(), status => Assert.Equal(0, text.Value("geodns_sidecar_alert_messages", ("channel", "ntfy ntfy.sh"), ("status", status.ToLowerInvariant()))));

        // Before the first look: the families are declared, the empty snapshot's zero budget is not a sample.
        var before = PrometheusText.Parse(SidecarMetrics.Write(sidecar.Session, FleetSnapshot.Empty, running: 0, new MemoryAlertLog()));
        Assert.Empty(before.Errors);
        Assert.Equal(0, before.Value("geodns_sidecar_fleet_look_timestamp_seconds"));
        Assert.Contains("geodns_sidecar_rotation_budget_left", before.Families.Keys);
        Assert.DoesNotContain(before.Samples, s => s.Family is "geodns_sidecar_rotation_budget_left" or "geodns_sidecar_home_certificate_remaining_seconds");
    }

    /// <summary>A real nameserver (in this process, on free loopback ports) with every optional family on: zone exchange configured, RRL on by default.</summary>
    private static async Task<string> ScrapeNameserverAsync()
    {
        using var scratch = new Scratch();
        var edge = new TcpListener(IPAddress.Loopback, 0); // the edge its probes reach
        edge.Start();
        try
        {
            Directory.CreateDirectory(scratch["zones"]);
            await File.WriteAllTextAsync(scratch["zones/example.com.zone"], "$ORIGIN example.com.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\n  IN NS ns1\nns1 IN A 127.0.0.1\n");
            await File.WriteAllTextAsync(scratch["geodns.json"], $$"""
                {
                  "pools": [{ "name": "app.example.com", "probe": { "port": {{((IPEndPoint)edge.LocalEndpoint).Port}} }, "edges": [{ "name": "edge-1", "ipv4": "127.0.0.1" }] }],
                  "exchange": { "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"] }] }
                }
                """);
            var options = CommandLine.Parse(["--config", scratch["geodns.json"], "--zones", scratch["zones"], "--data", scratch["data"], "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"], out var error)
                ?? throw new InvalidOperationException(error);
            options.Transport.UdpSockets = 1;
            using var host = GeoDnsHost.Create(options);
            await host.StartAsync();
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                return await http.GetStringAsync(new Uri(GeoDnsHost.AdminUri(host)!, "/metrics"));
            }
            finally
            {
                await host.StopAsync();
            }
        }
        finally
        {
            edge.Stop();
        }
    }

    /// <summary>Each rule's alert name and expression, from the rule file as written there (one-line, or a folded block below <c>expr:</c>).</summary>
    private static List<(string Alert, string Expr)> RuleExpressions(string yaml)
    {
        var rules = new List<(string, string)>();
        var lines = yaml.Split('\n');
        var alert = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (AlertLine().Match(lines[i]) is { Success: true } a) alert = a.Groups[1].Value;
            if (ExprLine().Match(lines[i]) is not { Success: true } e) continue;
            var expr = e.Groups[2].Value.Trim();
            if (expr is ">-" or ">" or "|" or "|-")
            {
                var indent = e.Groups[1].Value.Length;
                var block = new List<string>();
                while (i + 1 < lines.Length && (lines[i + 1].Trim() == "" || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent)) block.Add(lines[++i].Trim());
                expr = string.Join(' ', block).Trim();
            }
            rules.Add((alert, expr));
        }
        return rules;
    }

    /// <summary>The metric names a PromQL expression reads: what is left once strings, matchers, ranges, grouping labels, functions and keywords are taken out.</summary>
    private static HashSet<string> MetricNames(string expr)
    {
        var bare = Grouping().Replace(Ranges().Replace(Matchers().Replace(Strings().Replace(expr, ""), ""), ""), "");
        return Identifiers().Matches(bare).Select(m => m.Value).Where(n => !Keywords.Contains(n)).ToHashSet();
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN"];

    private static async Task<string> LintAsync(string metrics)
    {
        using var process = Process.Start(new ProcessStartInfo("promtool", ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (await stdout + await stderr).Trim();
    }

    [GeneratedRegex(@"^\s*- alert:\s*(\S+)")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^(\s*)expr:\s*(.*)$")]
    private static partial Regex ExprLine();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    /// <summary>A name not followed by "(" (a function or an aggregation) and not inside a number (1e3, 0.5).</summary>
    [GeneratedRegex(@"(?<![\w.:])[a-zA-Z_:][\w:]*(?!\s*\(|[\w:])")]
    private static partial Regex Identifiers();

    /// <summary>A <see cref="SidecarDaemon"/> running over a <see cref="FakeSidecar"/>, its first look at the fleet done.</summary>
    private sealed class RunningDaemon : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
        private Task _running = Task.CompletedTask;

        private RunningDaemon(SidecarDaemon daemon) => Daemon = daemon;

        public SidecarDaemon Daemon { get; }

        public static async Task<RunningDaemon> StartAsync(FakeSidecar sidecar)
        {
            var daemon = new RunningDaemon(new SidecarDaemon(sidecar.Session, NullLoggerFactory.Instance));
            daemon._running = daemon.Daemon.RunAsync(daemon._stop.Token);
            daemon._http.BaseAddress = new Uri(await daemon.Daemon.Address.WaitAsync(TimeSpan.FromSeconds(10)));
            daemon._http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sidecar.Options.Token);
            await FakeSidecar.Until(() => daemon.Daemon.Fleet.At != FleetSnapshot.Empty.At, "the daemon's first look at the fleet");
            return daemon;
        }

        public async Task<string> ScrapeAsync() => (await ScrapeWithTypeAsync()).Body;

        public async Task<(string Body, string? ContentType)> ScrapeWithTypeAsync()
        {
            using var response = await _http.GetAsync("/metrics");
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
            _http.Dispose();
            _stop.Dispose();
        }
    }
}
