using System.Globalization;
using System.Text.RegularExpressions;
using GeoDns.Alerts;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.WireGuard;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The fleet panel in a real headless Chromium against the daemon over <see cref="FakeNameserver"/>s and a fake clock:
/// the rendered page (after its script fetched <c>/v1/fleet</c>) shows each state it must, and fits a phone. Screenshots
/// are kept as test artefacts in TestResults/fleet-panel/ beside the test assembly.
/// </summary>
public sealed class FleetPanelTests : IDisposable
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "fleet-panel");

    private readonly FakeSidecar _sidecar;

    public FleetPanelTests()
    {
        // Named nameservers, as a real sidecar.json lists them (else the panel shows their URLs); a day's budget of 4.
        _sidecar = FakeSidecar.Create(o =>
        {
            o.NameserverTunnels = [new() { Name = "ns1", Endpoint = "198.51.100.1:51820" }, new() { Name = "ns2", Endpoint = "203.0.113.1:51820" }];
            o.Rotation.DownFor = TimeSpan.FromHours(1); // a Down edge stays Down on the page, not rotated away under it
        });
        Assert.True(_sidecar.Session.Inventory.Complete(_sidecar.Session.Tunnel, KeyPair.GenerateWithNSec).Ok);
        foreach (var ns in new[] { _sidecar.Ns1, _sidecar.Ns2 })
        {
            ns.Since["edge-1"] = _sidecar.Time.GetUtcNow().AddDays(-3);
            ns.Since["edge-2"] = _sidecar.Time.GetUtcNow().AddHours(-5);
            // One answer per client: Frankfurt takes the west, Singapore the east (trimmed lists; a server names every country).
            ns.AnswersFor["edge-1"] = Frankfurt;
            ns.AnswersFor["edge-2"] = Singapore;
            ns.ReloadedAt = _sidecar.Time.GetUtcNow().AddMinutes(-42);
        }
        Handshakes(edge1: 12, edge2: 40);
    }

    public void Dispose() => _sidecar.Dispose();

    private static readonly Dictionary<string, IReadOnlyList<string>> Frankfurt = new()
    {
        ["EU"] = ["AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "NL", "NO", "PL", "PT", "SE"],
        ["AF"] = ["EG", "MA", "NG", "ZA"],
        ["AS"] = ["AE", "IL", "SA", "TR"],
        ["NA"] = ["CA", "MX", "US"],
        ["SA"] = ["AR", "BR", "CL"],
    };

    private static readonly Dictionary<string, IReadOnlyList<string>> Singapore = new()
    {
        ["AS"] = ["CN", "HK", "ID", "IN", "JP", "KR", "MY", "PH", "SG", "TH", "TW", "VN"],
        ["OC"] = ["AU", "NZ"],
    };

    /// <summary>Every country of both: one edge left to answer.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Both =>
        Frankfurt.Concat(Singapore).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.SelectMany(c => c.Value).Order(StringComparer.Ordinal)]);

    [SkippableFact]
    public async Task SteadyFleet_EveryEdgeUpOnEveryNameserver_TunnelAges_Budget_Alerts()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        _sidecar.Ns1.CertificateDays["edge-1"] = _sidecar.Ns2.CertificateDays["edge-1"] = 64;
        _sidecar.Ns1.CertificateDays["edge-2"] = _sidecar.Ns2.CertificateDays["edge-2"] = 9;
        var alert = AddAlert("tunnel-down:edge-2", "edge-2's tunnel is down", resolved: true, ("ntfy", DeliveryStatus.Sent, 1, null));
        await using var panel = await DaemonPanel.StartAsync(_sidecar);

        var dom = await HeadlessChromium.DumpDomAsync(panel.Page, $"--window-size={DesktopWindow}");

        AssertFits(dom, 1280);
        Assert.Contains("""data-edge="edge-1" data-verdict="Up" data-down="false" data-disagreeing="false">""", dom);
        Assert.Contains("""data-edge="edge-2" data-verdict="Up" data-down="false" data-disagreeing="false">""", dom);
        Assert.Contains("""<tr data-nameserver="ns2" data-state="Up" data-in-answers="true" data-drained="false">""", dom);
        Assert.Contains("""data-tunnel-age="12" data-tunnel-stale="false">Tunnel: latest handshake 12 s ago</div>""", dom);
        Assert.Contains("In the answers of 2 of 2 nameservers", dom);
        // The countries each edge is answered to, continents by count; the codes behind a tap.
        Assert.Contains("""<details class="regions" data-countries="31"><summary>Answers for: EU 17, AF 4, AS 4, NA 3, SA 3 (31 countries)</summary>""", dom);
        Assert.Contains("""<div class="codes">EU: AT BE CH CZ DE DK ES FI FR GB IE IT NL NO PL PT SE</div>""", dom);
        Assert.Contains("""<summary>Answers for: AS 12, OC 2 (14 countries)</summary>""", dom);
        Assert.Contains("""<div data-serial="2026030101" data-serial-differs="false">Zone example.com: serial 2026030101</div>""", dom);
        Assert.Contains("""data-reloaded-seconds="2520" data-reload-failed-seconds="">Zone files: loaded 42 min ago</div>""", dom);
        Assert.Contains("""Certificate: <span class="cert">64 days left</span>""", dom);
        Assert.Contains("""Certificate: <span class="cert low">9 days left</span>""", dom); // below 14 days, marked
        Assert.Contains("""data-nameserver="ns1" data-reachable="true" data-status="ready">""", dom);
        Assert.Contains("version 1.4.0", dom);
        Assert.Contains("""data-left="4" data-daily="4">Rotations left today: 4 of 4</span>""", dom);
        Assert.Contains($"""<div class="alert" data-alert="{alert}">""", dom);
        Assert.Contains("""data-channel="ntfy" data-status="Sent">ntfy: Sent (1 attempt)</span>""", dom);
        // The daemon's look, in the browser's zone with its date.
        Assert.Contains("""<div id="status" class="">the daemon looked at <time datetime="2026-03-01T12:00:00+00:00">2026-03-01 17:30:00 GMT+5:30</time>""", dom);

        await HeadlessChromium.ScreenshotAsync(panel.Page, Path.Combine(Screenshots, "fleet-steady.png"), DesktopWindow);
    }

    [SkippableFact]
    public async Task EmergencyOn_RedBannerSaysWhereSinceWhyAndWhat_TheButtonEndsIt_FitsAPhone()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        _sidecar.Ns1.Emergency = _sidecar.Ns2.Emergency = (_sidecar.Time.GetUtcNow().AddMinutes(-5), "under attack");
        await using var panel = await DaemonPanel.StartAsync(_sidecar);

        var dom = await HeadlessChromium.DumpDomAsync(panel.Page, PhoneArguments);

        Assert.Contains("""<div class="banner" data-emergency="app.example.com" data-on-at="ns1 ns2" data-off-at="">EMERGENCY ANSWER ON for app.example.com on ns1, ns2 since """ +
            """<time datetime="2026-03-01T11:55:00+00:00">2026-03-01 17:25:00 GMT+5:30</time> (under attack): the nameservers answer app.example.com. 5 IN CNAME maintenance.example.net. instead of the edges below</div>""", dom);
        Assert.Contains("""<button class="" data-action="emergencyOff">Emergency off</button>""", dom);
        Assert.DoesNotContain("data-action=\"emergencyOn\"", dom);
        AssertFitsAPhone(dom);

        await HeadlessChromium.ScreenshotAsync(panel.Page, Path.Combine(Screenshots, "fleet-emergency-phone.png"), PhoneWindow);
    }

    [SkippableFact]
    public async Task EmergencyOff_NoBanner_TheButtonToTurnItOn()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        await using var panel = await DaemonPanel.StartAsync(_sidecar);

        var dom = await HeadlessChromium.DumpDomAsync(panel.Page, $"--window-size={DesktopWindow}");

        Assert.Contains("""<div id="emergency"><div class="actions"><button class="danger" data-action="emergencyOn">Emergency on</button></div></div>""", dom);
    }

    [SkippableFact]
    public async Task DownEdge_DownOnEveryNameserver_StaleTunnel_FitsAPhone()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        _sidecar.Ns1.States["edge-2"] = "Down";
        _sidecar.Ns2.States["edge-2"] = "Down";
        foreach (var ns in new[] { _sidecar.Ns1, _sidecar.Ns2 })
        {
            ns.AnswersFor["edge-1"] = Both;
            ns.AnswersFor["edge-2"] = [];
        }
        _sidecar.Ns2.ReloadFailedAt = _sidecar.Time.GetUtcNow().AddMinutes(-3);
        _sidecar.Ns2.Serial = 2026030100; // the edit that failed is not live there
        _sidecar.Ns2.Warnings.Add("zone example.com.: reload failed: example.com.zone:9: A address '192.0.2.999' is not an IPv4 address; its previous version (serial 2026030100) is served");
        Handshakes(edge1: 12, edge2: 400);
        AddAlert("edge-down:edge-2", "edge-2 is Down on every nameserver", resolved: false,
            ("ntfy", DeliveryStatus.Sent, 1, null), ("email", DeliveryStatus.Retrying, 2, "smtp.example.net:587: connection refused"));
        await using var panel = await DaemonPanel.StartAsync(_sidecar);

        var dom = await HeadlessChromium.DumpDomAsync(panel.Page, PhoneArguments);

        Assert.Contains("""<strong class="name">edge-2</strong><span class="badge Down">Down</span>""", dom);
        Assert.Contains("""data-edge="edge-2" data-verdict="Down" data-down="true" data-disagreeing="false">""", dom);
        Assert.Contains("In the answers of 0 of 2 nameservers", dom);
        Assert.Contains("""<details class="regions" data-countries="0"><summary>Answers for: no country</summary></details>""", dom);
        Assert.Contains("""<summary>Answers for: EU 17, AS 16, AF 4, NA 3, SA 3, OC 2 (45 countries)</summary>""", dom); // Singapore's too
        Assert.Contains("""<div data-serial="2026030100" data-serial-differs="true">Zone example.com: serial 2026030100<span> <span class="disagree">≠ serials differ</span></span></div>""", dom);
        Assert.Contains("""data-reloaded-seconds="2520" data-reload-failed-seconds="180">Zone files: loaded 42 min ago<span class="error">, a reload failed 3 min ago</span></div>""", dom);
        // The tunnel report the daemon sent each nameserver, in each one's view.
        Assert.Contains("""<td data-label="Tunnel report">WireGuard: latest handshake 400 s ago (stale after 180 s)</td>""", dom);
        Assert.Contains("""data-tunnel-age="400" data-tunnel-stale="true">Tunnel: latest handshake 7 min ago — stale (WireGuard: latest handshake 400 s ago (stale after 180 s))</div>""", dom);
        Assert.Contains("""data-channel="email" data-status="Retrying">email: Retrying (2 attempts): smtp.example.net:587: connection refused</span>""", dom);
        AssertFitsAPhone(dom);

        await HeadlessChromium.ScreenshotAsync(panel.Page, Path.Combine(Screenshots, "fleet-down-phone.png"), PhoneWindow);
    }

    [SkippableFact]
    public async Task Disagreement_OneNameserverUpTheOtherDown_MarkedWithHowLongItHasLasted()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        _sidecar.Ns2.States["edge-1"] = "Down";
        _sidecar.Ns2.AnswersFor["edge-1"] = [];
        _sidecar.Ns2.AnswersFor["edge-2"] = Both;
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        await panel.AdvanceAsync(TimeSpan.FromMinutes(2)); // the next look: the same disagreement, 2 minutes on

        var dom = await HeadlessChromium.DumpDomAsync(panel.Page, $"--window-size={DesktopWindow}");

        AssertFits(dom, 1280);
        Assert.Contains("""data-edge="edge-1" data-verdict="Partly down" data-down="false" data-disagreeing="true">""", dom);
        Assert.Contains("""data-disagreeing-seconds="120">≠ nameservers disagree for 2 min</span>""", dom);
        Assert.Contains("""<tr data-nameserver="ns1" data-state="Up" data-in-answers="true" data-drained="false">""", dom);
        Assert.Contains("""<tr data-nameserver="ns2" data-state="Down" data-in-answers="false" data-drained="false">""", dom);
        Assert.Contains("In the answers of 1 of 2 nameservers", dom);
        // Each nameserver answers for other countries now: said per nameserver.
        Assert.Contains("""<div>Answers for, per nameserver (they differ):</div><details class="regions" data-countries="31" data-nameserver="ns1"><summary>ns1: EU 17, AF 4, AS 4, NA 3, SA 3 (31 countries)</summary>""", dom);
        Assert.Contains("""<details class="regions" data-countries="0" data-nameserver="ns2"><summary>ns2: no country</summary></details>""", dom);
        Assert.Contains("""data-edge="edge-2" data-verdict="Up" data-down="false" data-disagreeing="false">""", dom);

        await HeadlessChromium.ScreenshotAsync(panel.Page, Path.Combine(Screenshots, "fleet-disagreement.png"), DesktopWindow);
    }

    [SkippableFact]
    public async Task FailedRotation_StepAndError_BudgetSpent_FitsAPhone()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        var journal = _sidecar.Session.Journal;
        var rotation = journal.Begin("edge-2", "edge-2-r1", "down for 20 s");
        rotation = journal.Advance(rotation, RotationStep.Provision, "created edge-2-r1 at 192.0.2.50");
        const string error = "provision hook exited with 255 after 2 attempts: ssh: connect to host 192.0.2.50 port 22: Connection refused";
        journal.Save(journal.Record(rotation, "failed", error) with { Status = RotationStatus.Failed, Error = error, Finished = _sidecar.Time.GetUtcNow() });
        AddAlert("rotation-failed:1", "rotation #1 of edge-2 failed at Provision", resolved: false,
            ("ntfy", DeliveryStatus.Sent, 1, null), ("email", DeliveryStatus.Failed, 6, "smtp.example.net:587: 535 authentication failed"));
        await using var panel = await DaemonPanel.StartAsync(_sidecar);

        var dom = await HeadlessChromium.DumpDomAsync(panel.Page, PhoneArguments);

        Assert.Matches("""<tr class="failed" data-rotation="1" data-status="Failed" data-step="Provision"><td data-label="#">1</td><td data-label="Edge">edge-2</td><td data-label="New edge">edge-2-r1</td><td data-label="Step">Provision</td>""", dom);
        Assert.Contains($"""<td class="error" data-label="Error">{error}</td>""", dom);
        Assert.Contains("""data-left="3" data-daily="4">Rotations left today: 3 of 4</span>""", dom);
        Assert.Contains("""data-channel="email" data-status="Failed">email: Failed (6 attempts): smtp.example.net:587: 535 authentication failed</span>""", dom);
        Assert.DoesNotContain("class=\"running\"", dom); // failed is not in progress
        AssertFitsAPhone(dom);

        await HeadlessChromium.ScreenshotAsync(panel.Page, Path.Combine(Screenshots, "fleet-failed-rotation-phone.png"), PhoneWindow);
    }

    [SkippableFact]
    public async Task EdgeSignals_FiguresAndSparklines_AnUnreadableEdgeSaysSo_FitsAPhone()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        var edge1 = new FakeEdgeSignals();
        _sidecar.Network.Edges[$"{_sidecar.Session.Inventory.Find("edge-1")!.Tunnel}:{Signals.SignalsOptions.DefaultPort}"] = edge1; // edge-2's is refused
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        // Half an hour of an ordinary day, then a flood that the edge turns away with 429s.
        for (var step = 0; step < 60; step++)
        {
            edge1.Advance(30, requests: 40 + 10 * Math.Sin(step / 5.0), serverErrors: step == 20 ? 3 : 0, receivedBits: 2_000_000 + 100_000 * step, sentBits: 9_000_000);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(30));
        }
        edge1.Advance(5, 900, rejected: 820, serverErrors: 0.4, receivedBits: 48_000_000, sentBits: 3_500_000);
        edge1.SynRecv = 37;
        edge1.Sources = [("198.51.100.66", 3900), ("198.51.100.67", 400), ("203.0.113.9", 25), ("203.0.113.10", 20)];
        await panel.AdvanceAsync(TimeSpan.FromSeconds(5));

        var dom = await HeadlessChromium.DumpDomAsync(panel.Page, PhoneArguments);

        Assert.Contains("""data-signal="requestsPerSecond" data-value="900"><span class="label">req/s</span><strong>900</strong><svg""", dom);
        Assert.Contains("""data-signal="rejectedPerSecond" data-value="820"><span class="label">429/s</span><strong>820</strong>""", dom);
        Assert.Contains("""data-signal="serverErrorsPerSecond" data-value="0.4"><span class="label">5xx/s</span><strong>0.40</strong>""", dom);
        Assert.Contains("""data-signal="synRecv" data-value="37"><span class="label">SYN-RECV</span><strong>37</strong>""", dom);
        Assert.Contains("""data-signal="receivedBitsPerSecond" data-value="48000000"><span class="label">Mbit/s in</span><strong>48</strong>""", dom);
        Assert.DoesNotContain("""data-signal="connectionsPerSecond""", dom); // TLS mode: requests, not connections
        Assert.Contains("""data-sources="198.51.100.66 198.51.100.67 203.0.113.9">Busiest: 198.51.100.66 (780/s), 198.51.100.67 (80/s), 203.0.113.9 (5/s)</div>""", dom);
        Assert.Matches("""data-signal="rejectedPerSecond"[^>]*>.*?<svg [^>]*><path d="M[0-9. MLh]+"></path></svg>""", dom);
        var unreadable = $"http://{_sidecar.Session.Inventory.Find("edge-2")!.Tunnel}:8055/signals.json: connection refused";
        Assert.Contains($"""<div class="signals" data-signals="unreadable"><div class="unread error">Signals unreadable: {unreadable}""", dom);
        Assert.Matches("""data-signals="unreadable">.*?data-signal="requestsPerSecond" data-value=""><span class="label">req/s</span><strong>—</strong>""", dom);
        AssertFitsAPhone(dom);

        await HeadlessChromium.ScreenshotAsync(panel.Page, Path.Combine(Screenshots, "fleet-signals-phone.png"), PhoneWindow);
        await HeadlessChromium.ScreenshotAsync(panel.Page, Path.Combine(Screenshots, "fleet-signals.png"), DesktopWindow);
    }

    private const string PhoneWindow = "390,1600";

    private static string[] PhoneArguments => HeadlessChromium.PhoneWidth ? [$"--window-size={PhoneWindow}"] : [];

    private const string DesktopWindow = "1280,1100";

    /// <summary>At a phone's width nothing scrolls sideways (checked where the headless shell can make the window that narrow).</summary>
    private static void AssertFitsAPhone(string dom)
    {
        if (!HeadlessChromium.PhoneWidth) return; // chromium's own headless window is at least 500 px wide
        AssertFits(dom, 390);
    }

    private static void AssertFits(string dom, int width)
    {
        var page = Regex.Match(dom, "<html [^>]*data-scroll-width=\"(\\d+)\" data-viewport-width=\"(\\d+)\"");
        Assert.True(page.Success, "the page did not record its width");
        Assert.Equal(width, int.Parse(page.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse(page.Groups[1].Value, CultureInfo.InvariantCulture), 0, width);
    }

    /// <summary>What <c>wg show wg0 latest-handshakes</c> would print: each edge's handshake this many seconds ago.</summary>
    private void Handshakes(double edge1, double edge2)
    {
        var now = _sidecar.Time.GetUtcNow().ToUnixTimeSeconds();
        string Key(string edge) => _sidecar.Session.Inventory.Find(edge)!.Keys!.PublicKey;
        File.WriteAllText(_sidecar.Scratch["handshakes"], $"{Key("edge-1")}\t{now - (long)edge1}\n{Key("edge-2")}\t{now - (long)edge2}\n");
        _sidecar.Options.TunnelCheck.Command = $"cat '{_sidecar.Scratch["handshakes"]}'";
    }

    private int AddAlert(string key, string title, bool resolved, params (string Channel, DeliveryStatus Status, int Attempts, string? Error)[] deliveries)
    {
        var at = _sidecar.Time.GetUtcNow().AddMinutes(-3);
        var log = new State.StateAlertLog(_sidecar.Session.State); // the daemon's log: the same state file
        var id = log.Add(new AlertMessage("geodns-sidecar", [new Alert(key, title, "", AlertSeverity.Critical, resolved, at)]), deliveries.Select(d => d.Channel));
        foreach (var d in deliveries) log.Update(id, new Delivery(d.Channel, d.Status, d.Attempts, d.Error, at));
        return id;
    }
}
