using System.Globalization;
using System.Text;
using GeoDns.Contracts;
using GeoDns.Diagnostics;
using GeoDns.Health;
using GeoDns.RateLimiting;

using static GeoDns.Configuration.MetricsText;
namespace GeoDns.Server.Admin;

/// <summary>The Prometheus text exposition format (version 0.0.4), written by hand: a few families, no library needed.</summary>
public static class MetricsWriter
{
    /// <summary>The collector's settings as the runtime read them at start; they cannot change while it runs.</summary>
    private static readonly (string, string)[] Collector = CollectorLabels(GC.GetConfigurationVariables());

    private static (string, string)[] CollectorLabels(IReadOnlyDictionary<string, object> gc) =>
        [("mode", gc["ServerGC"] is true ? "server" : "workstation"), ("concurrent", gc["ConcurrentGC"] is true ? "true" : "false"),
            ("heaps", Convert.ToString(gc["HeapCount"], CultureInfo.InvariantCulture) ?? "?")];

    public const string ContentType = GeoDns.Configuration.MetricsText.ContentType;

    private static readonly EdgeState[] States = Enum.GetValues<EdgeState>();

    public static string Write(Observations seen, AdminBinding admin)
    {
        var text = new StringBuilder();
        Family(text, "geodns_admin_bind_failures_total", "counter", "Failed attempts to bind the admin endpoint's address (retried every 2 s; DNS is served meanwhile).");
        Sample(text, "geodns_admin_bind_failures_total", [], admin.Failures);
        Queries(text, seen.QueryMetrics);
        RateLimiting(text, seen.RrlResponses);
        Family(text, "geodns_internal_errors_total", "counter", "Failures of the server's own code, caught so serving went on, by where: a UDP datagram, a TCP connection, an exchange worker, a UDP receive or TCP accept loop restarted.");
        for (var w = 0; w < InternalErrors.Places.Length; w++) Sample(text, "geodns_internal_errors_total", [("where", InternalErrors.Places[w])], seen.InternalErrors.Total(w));
        Family(text, "geodns_exchange_refused_total", "counter", "Transfers, NOTIFY, UPDATE and signed queries refused because their queue was full (UDP dropped, TCP closed).");
        Sample(text, "geodns_exchange_refused_total", [], seen.ExchangeRefused);
        Family(text, "geodns_udp_replies_total", "counter", "Replies sent by each UDP socket of each listen address; SO_REUSEPORT spreads queries over them, so one that stays flat while the others count is worth a look.");
        foreach (var (listen, sent) in seen.UdpReplies)
            for (var i = 0; i < sent.Count; i++)
                Sample(text, "geodns_udp_replies_total", [("listen", listen.ToString()), ("socket", (i + 1).ToString(CultureInfo.InvariantCulture))], sent[i]);
        Probes(text, seen.ProbeMetrics);
        var snapshot = seen.Snapshot; // one generation for the edges, the isolation and the zones below
        Isolation(text, snapshot.Health);
        Edges(text, seen, snapshot);
        Family(text, "geodns_reloads_total", "counter", "Reloads by kind (zones, config, geo) and result; the loads at start are not counted.");
        foreach (var kind in ReloadMetrics.Kinds)
            foreach (var result in ReloadMetrics.Results)
                Sample(text, "geodns_reloads_total", [("kind", kind), ("result", result)], seen.ReloadMetrics.Reloads(kind, result));
        Family(text, "geodns_publishes_total", "counter", "Answers published, by lane: static (zones, pool set: a whole table), routes (health, drains, geo: a pool's slot).");
        foreach (var lane in PublishMetrics.Lanes) Sample(text, "geodns_publishes_total", [("lane", lane)], seen.PublishMetrics.Publishes(lane));
        Family(text, "geodns_publish_cpu_seconds_total", "counter", "CPU time the publisher's thread spent publishing, by lane.");
        foreach (var lane in PublishMetrics.Lanes) Sample(text, "geodns_publish_cpu_seconds_total", [("lane", lane)], seen.PublishMetrics.CpuSeconds(lane));
        Family(text, "geodns_zone_serial", "gauge", "SOA serial of each zone served.");
        foreach (var zone in snapshot.Zones.Zones) Sample(text, "geodns_zone_serial", [("zone", zone.Origin.ToString())], zone.Serial);
        Secondaries(text, seen);
        Family(text, "geodns_state_file_lost", "gauge", "1 when the state file (drains, forced states, added edges) was missing or damaged at start and a fresh one was started.");
        Sample(text, "geodns_state_file_lost", [], seen.StateLoss is null ? 0 : 1);
        Home(text, seen);
        Family(text, "geodns_not_loaded", "gauge", "Configured zones and pools that are not answered (the server started with --degraded).");
        Sample(text, "geodns_not_loaded", [], seen.NotReady(snapshot).Count);
        Family(text, "geodns_process_cpu_seconds_total", "counter", "CPU time the process used since start (user + system).");
        Sample(text, "geodns_process_cpu_seconds_total", [], Environment.CpuUsage.TotalTime.TotalSeconds);
        // Tiered compilation recompiles a method after 30 calls; code run once per probe round gets there only after
        // minutes, so CPU measured early in a process's life is partly this warm-up rather than work.
        Family(text, "geodns_jit_seconds_total", "counter", "Time the runtime spent compiling code (JIT) since start: warm-up, not work.");
        Sample(text, "geodns_jit_seconds_total", [], System.Runtime.JitInfo.GetCompilationTime().TotalSeconds);
        Family(text, "geodns_gc_pause_seconds_total", "counter", "Time the garbage collector held every thread (queries included) since start.");
        Sample(text, "geodns_gc_pause_seconds_total", [], GC.GetTotalPauseDuration().TotalSeconds);
        GcPauseHistogram(text, GcPauses.Shared);
        Family(text, "geodns_gc_info", "gauge", "The collector as the runtime runs it (the server ships server GC, one heap, background gen 2; DOTNET_ variables can change it).");
        Sample(text, "geodns_gc_info", Collector, 1);
        Family(text, "geodns_gc_allocated_bytes_total", "counter", "Bytes the process allocated on the managed heap since start.");
        Sample(text, "geodns_gc_allocated_bytes_total", [], GC.GetTotalAllocatedBytes());
        Family(text, "geodns_gc_heap_bytes", "gauge", "The managed heap as the last collection left it (what lives, plus free space within it): growth here, not in RSS, is memory kept.");
        Sample(text, "geodns_gc_heap_bytes", [], GC.GetGCMemoryInfo().HeapSizeBytes);
        Family(text, "geodns_gc_collections_total", "counter", "Garbage collections since start, by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
            Sample(text, "geodns_gc_collections_total", [("generation", generation.ToString(CultureInfo.InvariantCulture))], GC.CollectionCount(generation));
        return text.ToString();
    }

    private static void GcPauseHistogram(StringBuilder text, GcPauses pauses)
    {
        Family(text, "geodns_gc_pause_duration_seconds", "histogram", "Each pause of the garbage collector (every thread held, queries included).");
        var counts = pauses.Counts();
        var cumulative = 0L;
        for (var b = 0; b < counts.Length; b++)
        {
            cumulative += counts[b];
            var le = b < GcPauses.BucketBounds.Length ? Number(GcPauses.BucketBounds[b]) : "+Inf";
            Sample(text, "geodns_gc_pause_duration_seconds_bucket", [("le", le)], cumulative);
        }
        Sample(text, "geodns_gc_pause_duration_seconds_sum", [], pauses.SumSeconds);
        Sample(text, "geodns_gc_pause_duration_seconds_count", [], cumulative);
        Family(text, "geodns_gc_pause_longest_seconds", "gauge", "The longest pause of the garbage collector since start.");
        Sample(text, "geodns_gc_pause_longest_seconds", [], pauses.LongestSeconds);
    }

    private static void Queries(StringBuilder text, QueryMetrics metrics)
    {
        Family(text, "geodns_queries_total", "counter", "DNS queries by transport, query type and reply code (rcode none: dropped unanswered).");
        for (var t = 0; t < QueryLabels.Transports.Length; t++)
            for (var type = 0; type < QueryLabels.Types.Length; type++)
                for (var rcode = 0; rcode < QueryLabels.Rcodes.Length; rcode++)
                    if (metrics.Queries(t, type, rcode) is var n and > 0) // hundreds of combinations; only those seen are written
                        Sample(text, "geodns_queries_total", [("transport", QueryLabels.Transports[t]), ("type", QueryLabels.Types[type]), ("rcode", QueryLabels.Rcodes[rcode])], n);
        Family(text, "geodns_response_seconds", "histogram", "Time from a query read to its reply sent.");
        for (var t = 0; t < QueryLabels.Transports.Length; t++)
        {
            var transport = ("transport", QueryLabels.Transports[t]);
            var cumulative = 0L;
            for (var b = 0; b <= QueryMetrics.BucketBounds.Length; b++)
            {
                cumulative += metrics.Responses(t, b);
                var le = b < QueryMetrics.BucketBounds.Length ? Number(QueryMetrics.BucketBounds[b]) : "+Inf";
                Sample(text, "geodns_response_seconds_bucket", [transport, ("le", le)], cumulative);
            }
            Sample(text, "geodns_response_seconds_sum", [transport], metrics.ResponseSeconds(t));
            Sample(text, "geodns_response_seconds_count", [transport], cumulative);
        }
        Family(text, "geodns_geo_lookups_total", "counter", "Client locations looked up for pool answers, by result.");
        Sample(text, "geodns_geo_lookups_total", [("result", "located")], metrics.GeoLookups(located: true));
        Sample(text, "geodns_geo_lookups_total", [("result", "unknown")], metrics.GeoLookups(located: false));
    }

    private static void RateLimiting(StringBuilder text, IReadOnlyList<long>? responses)
    {
        if (responses is null) return;
        Family(text, "geodns_rrl_responses_total", "counter", "UDP replies over the rate limit: dropped, slipped (sent as TC=1), or logged only (rrl.logOnly).");
        for (var a = 0; a < RateLimitCounters.Actions.Length; a++)
            Sample(text, "geodns_rrl_responses_total", [("action", RateLimitCounters.Actions[a])], responses[a]);
    }

    private static void Probes(StringBuilder text, ProbeMetrics metrics)
    {
        var targets = metrics.Snapshot();
        Family(text, "geodns_probes_total", "counter", "Health probes by target and result.");
        foreach (var p in targets)
        {
            Sample(text, "geodns_probes_total", [("target", p.Target), ("result", "success")], p.Successes);
            Sample(text, "geodns_probes_total", [("target", p.Target), ("result", "failure")], p.Failures);
        }
        Family(text, "geodns_probe_latency_seconds", "gauge", "Latency of the last probe of each target.");
        foreach (var p in targets) Sample(text, "geodns_probe_latency_seconds", [("target", p.Target)], p.LastLatencySeconds);
    }

    /// <summary>This nameserver's own outage, per address family (see HealthMonitor: Isolation).</summary>
    private static void Isolation(StringBuilder text, HealthReport health)
    {
        Family(text, "geodns_probe_isolated", "gauge", "1 while no probe of the family gets any reply: this nameserver's network looks down, edges are held, not taken Down.");
        foreach (var (family, name) in new[] { (System.Net.Sockets.AddressFamily.InterNetwork, "ipv4"), (System.Net.Sockets.AddressFamily.InterNetworkV6, "ipv6") })
            Sample(text, "geodns_probe_isolated", [("family", name)], health.Isolated.ContainsKey(family) ? 1 : 0);
    }

    /// <summary>The home's last contact, and this nameserver's own alerts (sent when the home, which sends the others, is silent).</summary>
    private static void Home(StringBuilder text, Observations seen)
    {
        Family(text, "geodns_home_last_contact_seconds", "gauge",
            "Seconds since the last admin request with the valid token (the home's sidecar sends one every few seconds); since the start when none came.");
        Sample(text, "geodns_home_last_contact_seconds", [], Math.Round(seen.Home.Silence.TotalSeconds, 3));
        if (seen.Alerts is not { } alerts) return;
        Family(text, "geodns_home_silent", "gauge", "1 while this nameserver reports the home silent: no request with the admin token for alerts.homeSilentAfter.");
        Sample(text, "geodns_home_silent", [], alerts.Watch.Silent ? 1 : 0);
        Family(text, "geodns_alert_deliveries_total", "counter",
            "Attempts to deliver this nameserver's own alerts, by channel and outcome: sent, retrying (failed, tried again later), failed (given up).");
        foreach (var (channel, status, count) in alerts.Log.Deliveries())
            Sample(text, "geodns_alert_deliveries_total", [("channel", channel), ("status", status.ToString().ToLowerInvariant())], count);
    }

    /// <summary>Each secondary zone's refreshing: failures in a row (a copy that could not be stored is one) and the last success.</summary>
    private static void Secondaries(StringBuilder text, Observations seen)
    {
        if (seen.Secondaries is not { } zones) return;
        Family(text, "geodns_secondary_refresh_failures", "gauge", "Failed refreshes in a row of each zone we are secondary for (a transfer, or storing its copy); 0 after a success.");
        foreach (var zone in zones) Sample(text, "geodns_secondary_refresh_failures", [("zone", zone.Zone)], zone.Failures);
        Family(text, "geodns_secondary_transfers_rejected_total", "counter", "Transfers in refused for breaking the zone's rules (an owner outside the zone, a CNAME beside data) or a cap; the last good copy was kept.");
        foreach (var zone in zones) Sample(text, "geodns_secondary_transfers_rejected_total", [("zone", zone.Zone)], zone.Rejected);
        Family(text, "geodns_secondary_last_success_timestamp_seconds", "gauge", "Unix time of each secondary zone's last successful refresh (copy stored); 0 when never.");
        foreach (var zone in zones)
            Sample(text, "geodns_secondary_last_success_timestamp_seconds", [("zone", zone.Zone)], zone.LastSuccessAt?.ToUnixTimeSeconds() ?? 0);
    }

    private static void Edges(StringBuilder text, Observations seen, Answering.Snapshot snapshot)
    {
        var pools = EdgeReport.Pools(seen, snapshot);
        Family(text, "geodns_edge_state", "gauge", "1 for the state each edge address is in (a forced state counts), 0 for the others.");
        foreach (var pool in pools)
            foreach (var edge in pool.Edges)
                foreach (var address in edge.Addresses)
                    foreach (var state in States)
                        Sample(text, "geodns_edge_state", [("pool", pool.Name), ("edge", edge.Name), ("address", address.Address), ("state", state.ToString().ToLowerInvariant())],
                            address.Effective == state ? 1 : 0);
        Family(text, "geodns_edge_certificate_days_left", "gauge",
            "HTTPS probes: days until the certificate an edge address presented at its last probe expires (negative: expired, and out of the answers); absent when that probe saw none.");
        foreach (var pool in pools)
            foreach (var edge in pool.Edges)
                foreach (var address in edge.Addresses)
                    if (address.CertificateDaysLeft is { } days)
                        Sample(text, "geodns_edge_certificate_days_left", [("pool", pool.Name), ("edge", edge.Name), ("address", address.Address)], days);
        Family(text, "geodns_edge_in_answers", "gauge", "1 when answers hold the edge now (healthy, or all down with allDown=all), 0 when not (down, drained).");
        foreach (var pool in pools)
            foreach (var edge in pool.Edges) Sample(text, "geodns_edge_in_answers", [("pool", pool.Name), ("edge", edge.Name)], edge.InAnswers ? 1 : 0);
        Family(text, "geodns_edge_drained", "gauge", "1 while an operator has the edge drained.");
        foreach (var pool in pools)
            foreach (var edge in pool.Edges) Sample(text, "geodns_edge_drained", [("pool", pool.Name), ("edge", edge.Name)], edge.Drained ? 1 : 0);
        Family(text, "geodns_pool_all_down", "gauge", "1 when no edge of the pool is healthy and its allDown policy answers.");
        foreach (var pool in pools) Sample(text, "geodns_pool_all_down", [("pool", pool.Name)], pool.AllDownNow ? 1 : 0);
        Family(text, "geodns_pool_emergency", "gauge", "1 while an operator has the pool's emergency switch on: it answers its emergency records, not its edges.");
        foreach (var pool in pools) Sample(text, "geodns_pool_emergency", [("pool", pool.Name)], pool.Emergency.On ? 1 : 0);
    }

    private static string Number(double value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}
