using System.Globalization;
using System.Text;
using GeoDns.Alerts;
using GeoDns.Sidecar.Rotation;

using static GeoDns.Configuration.MetricsText;
namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// <c>GET /metrics</c> on the daemon's endpoint: the Prometheus text format (version 0.0.4), written by hand as the
/// nameservers' is. The fleet's families are the daemon's last look (<see cref="SidecarDaemon.Fleet"/>, its time in
/// <c>geodns_sidecar_fleet_look_timestamp_seconds</c>); before the first look they have no samples, so a rule
/// never reads the empty snapshot's zero budget as a spent one.
/// </summary>
public static class SidecarMetrics
{
    public const string ContentType = GeoDns.Configuration.MetricsText.ContentType;

    private static readonly RotationStatus[] RotationStatuses = Enum.GetValues<RotationStatus>();
    private static readonly DeliveryStatus[] DeliveryStatuses = Enum.GetValues<DeliveryStatus>();

    public static string Write(SidecarSession session, SidecarDaemon daemon) => Write(session, daemon.Fleet, daemon.Running.Count, daemon.AlertLog);

    /// <param name="running">The rotations the daemon is running now.</param>
    public static string Write(SidecarSession session, FleetSnapshot fleet, int running, IAlertLog alerts)
    {
        var now = session.Time.GetUtcNow();
        var text = new StringBuilder();
        Rotations(text, session.Journal.All(), running);
        var looked = fleet.At != FleetSnapshot.Empty.At;
        Family(text, "geodns_sidecar_fleet_look_timestamp_seconds", "gauge", "Unix time of the daemon's last look at the fleet (each rotation.pollInterval); 0 before the first.");
        Sample(text, "geodns_sidecar_fleet_look_timestamp_seconds", [], looked ? fleet.At.ToUnixTimeSeconds() : 0);
        Family(text, "geodns_sidecar_rotation_budget_left", "gauge", "Rotations that may still begin in the current 24 hours (rotation.dailyBudget less those begun).");
        Family(text, "geodns_sidecar_rotation_budget_daily", "gauge", "Rotations allowed to begin in any 24 hours (rotation.dailyBudget).");
        if (looked)
        {
            Sample(text, "geodns_sidecar_rotation_budget_left", [], fleet.BudgetLeft);
            Sample(text, "geodns_sidecar_rotation_budget_daily", [], fleet.DailyBudget);
        }
        Nameservers(text, fleet);
        Edges(text, fleet, now);
        EdgeReports(text, fleet);
        Certificate(text, looked ? fleet.Certificate : null, now);
        Alerts(text, session, alerts);
        return text.ToString();
    }

    private static void Rotations(StringBuilder text, IReadOnlyList<RotationRecord> journal, int running)
    {
        // A gauge, not a counter: a failed rotation that is retried goes back to running.
        Family(text, "geodns_sidecar_rotations", "gauge", "Edge rotations in the journal by status; a failed one stays failed until `geodns-sidecar rotate EDGE` retries it.");
        foreach (var status in RotationStatuses)
            Sample(text, "geodns_sidecar_rotations", [("status", Lower(status))], journal.Count(r => r.Status == status));
        Family(text, "geodns_sidecar_rotations_running", "gauge", "Rotations this daemon is running now (one marked running in the journal but not here was interrupted: the next start resumes it).");
        Sample(text, "geodns_sidecar_rotations_running", [], running);
    }

    private static void Nameservers(StringBuilder text, FleetSnapshot fleet)
    {
        Family(text, "geodns_sidecar_nameserver_reachable", "gauge", "1 when the nameserver's admin API answered the home's last look (health and edges), 0 when not.");
        foreach (var ns in fleet.Nameservers) Sample(text, "geodns_sidecar_nameserver_reachable", [("nameserver", ns.Name)], ns.Reachable ? 1 : 0);
    }

    private static void Edges(StringBuilder text, FleetSnapshot fleet, DateTimeOffset now)
    {
        Family(text, "geodns_sidecar_edge_role", "gauge", "1 for each edge's role at home (joining, serving, draining, retired; unknown: a nameserver lists it, the home does not know it).");
        foreach (var edge in fleet.Edges) Sample(text, "geodns_sidecar_edge_role", [("edge", edge.Name), ("role", edge.Role?.ToLowerInvariant() ?? "unknown")], 1);
        Family(text, "geodns_sidecar_edge_down", "gauge", "1 when the edge is Down (and not drained) on every nameserver that answered and lists it: the verdict that rotates it.");
        foreach (var edge in fleet.Edges) Sample(text, "geodns_sidecar_edge_down", [("edge", edge.Name)], edge.Down ? 1 : 0);
        Family(text, "geodns_sidecar_edge_attack", "gauge", "1 while the edge is under attack by this kind of verdict (flood: a signal far above its baseline; unreachable: Down on the nameservers, reachable from home).");
        foreach (var edge in fleet.Edges.Where(e => e.Role == nameof(State.EdgeRole.Serving)))
            foreach (var kind in Enum.GetValues<AttackKind>())
                Sample(text, "geodns_sidecar_edge_attack", [("edge", edge.Name), ("kind", kind.ToString().ToLowerInvariant())], fleet.AttackOn(edge.Name)?.Kind == kind ? 1 : 0);
        Family(text, "geodns_sidecar_edge_disagreeing_seconds", "gauge", "How long the nameservers that answered have held different views of the edge (Up on one, Down or absent on another); 0 while they agree.");
        foreach (var edge in fleet.Edges)
            Sample(text, "geodns_sidecar_edge_disagreeing_seconds", [("edge", edge.Name)], edge.DisagreeingSince is { } since ? Seconds(now - since) : 0);
        Family(text, "geodns_sidecar_tunnel_stale", "gauge", "1 when the edge's WireGuard tunnel home is stale (latest handshake older than tunnelCheck.staleAfter), 0 when fresh.");
        foreach (var edge in fleet.Edges)
            if (edge.Tunnel is { } tunnel) Sample(text, "geodns_sidecar_tunnel_stale", [("edge", edge.Name)], tunnel.Stale ? 1 : 0);
        Family(text, "geodns_sidecar_tunnel_handshake_age_seconds", "gauge", "Seconds since the latest WireGuard handshake of the edge's tunnel home; absent when it never handshook.");
        foreach (var edge in fleet.Edges)
            if (edge.Tunnel?.Handshake is { } handshake) Sample(text, "geodns_sidecar_tunnel_handshake_age_seconds", [("edge", edge.Name)], Seconds(now - handshake));
    }

    /// <summary>
    /// What each edge reports of itself, as the edge counts it: its counters as they are (they start again when nginx
    /// restarts, the edge boots, or for responses its script restarts: a counter's reset, which rate() takes in stride).
    /// An edge whose signals cannot be read has up 0 and no other samples: its last figures would read as a flat line.
    /// </summary>
    private static void EdgeReports(StringBuilder text, FleetSnapshot fleet)
    {
        var edges = fleet.Edges.Where(e => e.Signals is not null).ToList();
        var read = edges.Where(e => e.Signals!.Readable).Select(e => (e.Name, Sample: e.Signals!.Sample!)).ToList();
        Family(text, "geodns_sidecar_edge_signals_up", "gauge", "1 when the edge's signals (deploy/edge/geodns-edge-signals) were read through its tunnel at the last look and are changing, 0 when not.");
        foreach (var edge in edges) Sample(text, "geodns_sidecar_edge_signals_up", [("edge", edge.Name)], edge.Signals!.Readable ? 1 : 0);
        void Each(string name, string type, string help, Func<Signals.EdgeSignalsSample, long?> value)
        {
            Family(text, name, type, help);
            foreach (var (edge, sample) in read)
                if (value(sample) is { } v) Sample(text, name, [("edge", edge)], v);
        }
        Each("geodns_sidecar_edge_http_requests_total", "counter", "HTTP requests the edge's nginx has read (stub_status; since nginx started). TLS mode only.",
            s => s.Responses is null ? null : s.Nginx?.Requests);
        Family(text, "geodns_sidecar_edge_http_responses_total", "counter",
            "Responses the edge's nginx sent, by status class (code 4xx leaves out 429, its own rejections by limit_req and limit_conn); since the edge's signals script started. TLS mode only.");
        foreach (var (edge, sample) in read)
            if (sample.Responses is { } r)
                foreach (var (code, count) in (ReadOnlySpan<(string, long)>)[("1xx", r.Informational), ("2xx", r.Success), ("3xx", r.Redirect), ("4xx", r.Other4xx), ("429", r.Rejected), ("5xx", r.ServerError)])
                    Sample(text, "geodns_sidecar_edge_http_responses_total", [("edge", edge), ("code", code)], count);
        Each("geodns_sidecar_edge_connections_accepted_total", "counter", "Connections the edge's nginx accepted, HTTP and (passthrough) stream (since nginx started).", s => s.Nginx?.Accepted);
        Each("geodns_sidecar_edge_connections", "gauge", "Connections open on the edge's nginx now.", s => s.Nginx?.Connections);
        Each("geodns_sidecar_edge_network_received_bytes_total", "counter", "Bytes the edge's public interface received.", s => s.Net?.ReceivedBytes);
        Each("geodns_sidecar_edge_network_sent_bytes_total", "counter", "Bytes the edge's public interface sent.", s => s.Net?.SentBytes);
        Each("geodns_sidecar_edge_network_received_packets_total", "counter", "Packets the edge's public interface received.", s => s.Net?.ReceivedPackets);
        Each("geodns_sidecar_edge_network_sent_packets_total", "counter", "Packets the edge's public interface sent.", s => s.Net?.SentPackets);
        Each("geodns_sidecar_edge_tcp_syn_recv", "gauge", "TCP sockets in SYN-RECV on the edge now (half-open: a SYN flood fills these).", s => s.Tcp.SynRecv);
        Each("geodns_sidecar_edge_tcp_listen_overflows_total", "counter", "Times a listen queue on the edge was full (TcpExt ListenOverflows, since boot).", s => s.Tcp.ListenOverflows);
        Each("geodns_sidecar_edge_tcp_listen_drops_total", "counter", "SYNs the edge dropped at a listen socket (TcpExt ListenDrops, since boot).", s => s.Tcp.ListenDrops);
        Each("geodns_sidecar_edge_tcp_syncookies_sent_total", "counter", "SYN cookies the edge sent: its SYN queue was full (TcpExt SyncookiesSent, since boot).", s => s.Tcp.SyncookiesSent);
    }

    private static void Certificate(StringBuilder text, Check.HomeCertificate? certificate, DateTimeOffset now)
    {
        Family(text, "geodns_sidecar_home_certificate_readable", "gauge", "1 when the home's certificate (nginx.certificateDir/fullchain.pem) could be read, 0 when not; absent without nginx.certificateDir.");
        // Seconds, Prometheus's base unit (the nameservers' geodns_edge_certificate_days_left predates this): a rule says 14 * 86400.
        Family(text, "geodns_sidecar_home_certificate_remaining_seconds", "gauge", "Seconds until the home's certificate expires (negative: expired); the certbot deploy hook installs a renewed one on every edge.");
        if (certificate is null) return;
        Sample(text, "geodns_sidecar_home_certificate_readable", [], certificate.Error is null ? 1 : 0);
        if (certificate.NotAfter is { } end) Sample(text, "geodns_sidecar_home_certificate_remaining_seconds", [], Math.Round((end - now).TotalSeconds));
    }

    private static void Alerts(StringBuilder text, SidecarSession session, IAlertLog log)
    {
        // Every configured channel has all its series from the start, so a rule over "failed" sees 0 before 1.
        var channels = session.Options.Alerts.Channels.Select(c => c.Label).ToList();
        var kept = log.Recent(State.StateAlertLog.Kept);
        var deliveries = kept.SelectMany(r => r.Deliveries).ToList();
        channels.AddRange(deliveries.Select(d => d.Channel).Where(c => !channels.Contains(c)).Distinct());
        Family(text, "geodns_sidecar_alert_messages", "gauge",
            $"Alert messages among the newest {State.StateAlertLog.Kept} kept, by channel and delivery status (retrying: failed and tried again; failed: given up after alerts.giveUpAfter).");
        foreach (var channel in channels)
            foreach (var status in DeliveryStatuses)
                Sample(text, "geodns_sidecar_alert_messages", [("channel", channel), ("status", Lower(status))], deliveries.Count(d => d.Channel == channel && d.Status == status));
        Family(text, "geodns_sidecar_alerts_firing", "gauge", "Incidents the daemon has alerted on and not yet resolved, by kind (edge-down, tunnel-down, unreachable, rotation-failed…).");
        foreach (var kind in log.Firing().GroupBy(Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            Sample(text, "geodns_sidecar_alerts_firing", [("kind", kind.Key)], kind.Count());
    }

    /// <summary>An incident's kind is its key up to the first colon (<c>edge-down:edge-2</c>): a few values, not one per edge.</summary>
    private static string Kind(string key) => key.IndexOf(':') is var i and > 0 ? key[..i] : key;

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static double Seconds(TimeSpan span) => Math.Max(0, Math.Round(span.TotalSeconds, 3));
}
