using GeoDns.Sidecar.Fleet;
using GeoDns.Sidecar.Hooks;
using GeoDns.Sidecar.Reports;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>bootstrap</c>: the fleet, from the config. With <c>hooks.countries</c>, every country it is about to buy in is
/// checked before anything is bought (<see cref="CountryCheck"/>). With <c>fleet</c> and the provisionNameserver hook, the nameservers
/// first (<see cref="FleetBootstrap"/>: bought, installed, delegated at the parent). Then the edges: those listed without an address are created
/// through the create hook (with their <c>country</c> as <c>EDGE_COUNTRY</c>); then every serving
/// edge is provisioned, the home's tunnels applied, each edge added on every nameserver, and the
/// command waits until every nameserver sees every edge Up. Each part is idempotent, so running it
/// again after a failure finishes the job without buying a second VPS. It says what it does as it
/// goes (<see cref="Progress"/>) and ends with a <see cref="BootstrapReport"/>: as text, or with
/// <c>--json</c> as the only document on stdout (the progress lines then go to stderr).
/// </summary>
public static class BootstrapCommand
{
    private const string Retry = "run `geodns-sidecar bootstrap` again: every step is idempotent, and an edge created already is not bought again";

    public static Task<int> RunAsync(SidecarSession session, TextWriter output, CancellationToken cancel) =>
        RunAsync(session, output, output, json: false, cancel);

    public static async Task<int> RunAsync(SidecarSession session, TextWriter output, TextWriter progressOutput, bool json, CancellationToken cancel)
    {
        var progress = new Progress(progressOutput, session.Time);
        var created = new List<EdgeReport>();
        var provisioned = new List<string>();
        var added = new List<string>();
        var fleet = new FleetReport();
        int Finish(BootstrapResult result, string? error = null, string? next = null)
        {
            var report = new BootstrapReport(result, created, provisioned, added, session.Options.Nameservers.Count, error, next ?? (error is null ? null : Retry))
            {
                NameserversBought = fleet.Bought,
                NameserversProvisioned = fleet.Provisioned,
                Delegation = fleet.Delegation,
            };
            if (json) ReportJson.Write(output, report);
            else foreach (var line in report.Lines()) output.WriteLine(line);
            return result == BootstrapResult.Failed ? 1 : 0;
        }

        if (new NameserverRotationJournal(session.State, session.Time).Refusal("bootstrap") is { } rotating)
            return Finish(BootstrapResult.Failed, rotating, "nothing was done in this run");
        var toBuy = CountryCheck.Bootstrap(session.Options, session.Inventory);
        if (CountryCheck.Configured(session.Options.Hooks) && toBuy.Count > 0)
        {
            // Before the first purchase: the create hook would refuse an unserved country only at its entry, the VPS
            // before it bought by then.
            progress.Step("bootstrap", $"checking the countries of the {toBuy.Count} VPS to buy (countries hook)");
            var countries = await CountryCheck.CheckAsync(session, toBuy, cancel);
            if (!countries.Ok)
                return Finish(BootstrapResult.Failed, $"preflight: {countries.Error}", "nothing was bought in this run: fix that and run `geodns-sidecar bootstrap` again");
        }
        if (FleetBootstrap.Provisions(session.Options))
        {
            progress.Step("bootstrap", "checking the nameservers' hooks and package");
            if (FleetBootstrap.Problem(session.Options) is { } problem) return Finish(BootstrapResult.Failed, $"preflight: {problem}");
            var nameservers = await FleetBootstrap.RunAsync(session, progress, fleet, cancel);
            if (!nameservers.Ok) return Finish(BootstrapResult.Failed, nameservers.Error!);
        }
        progress.Step("bootstrap", "checking the hooks and that every nameserver answers");
        var checkedFirst = await Preflight.CheckAsync(session, cancel);
        if (!checkedFirst.Ok) return Finish(BootstrapResult.Failed, checkedFirst.Error!);
        foreach (var edge in session.Inventory.All().Where(e => e.Role == EdgeRole.Serving && !e.Host.Exists))
        {
            progress.Step(edge.Name, "creating a VPS (create hook)");
            var made = await session.Provider.CreateAsync(edge.Name, edge.Host, cancel);
            if (!made.Ok) return Finish(BootstrapResult.Failed, $"{edge.Name}: {made.Error}");
            var saved = edge with { Host = made.Value! with { Name = edge.Name } };
            session.Inventory.Save(saved);
            created.Add(EdgeReport.Of(session.Inventory.Find(edge.Name) ?? saved));
            progress.Step(edge.Name, $"created at {made.Value!.Ipv4 ?? made.Value.Ipv6}");
        }
        progress.Step("home", "writing every WireGuard and nginx config");
        var rendered = session.RenderAll();
        if (!rendered.Ok) return Finish(BootstrapResult.Failed, rendered.Error!);
        var serving = session.Inventory.All().Where(e => e.Role == EdgeRole.Serving).ToList();
        foreach (var edge in serving)
        {
            progress.Step(edge.Name, "provisioning (provision hook)");
            var done = await session.Provider.ProvisionAsync(edge.Host, session.Files.WireGuardPath(edge.Name), session.Files.NginxPath(edge.Name), cancel);
            if (!done.Ok) return Finish(BootstrapResult.Failed, $"{edge.Name}: {done.Error}");
            provisioned.Add(edge.Name);
            progress.Step(edge.Name, "provisioned");
        }
        progress.Step("home", "applying the WireGuard tunnels");
        var applied = await session.ApplyRetry.RunAsync(token => session.Apply.RunAsync(session.WriteHome(), token), reason => Outcome.Failed(reason), cancel);
        if (!applied.Ok) return Finish(BootstrapResult.Failed, applied.Error!);
        foreach (var edge in serving)
        {
            var on = await session.Nameservers.AddAsync(edge.Host, cancel);
            if (!on.Ok) return Finish(BootstrapResult.Failed, on.Error!);
            added.Add(edge.Name);
            progress.Step(edge.Name, $"added on {session.Nameservers.Clients.Count} nameservers");
        }
        if (session.Options.Nginx is { Mode: Nginx.NginxMode.Tls, CertificateDir: { } certificates } && !File.Exists(Path.Combine(certificates, "fullchain.pem")))
        {
            // The chicken and the egg: the edges answer HTTP-01 (passed home) already, but an HTTPS
            // probe cannot pass before the certificate exists. certbot's deploy hook ends the wait.
            return Finish(BootstrapResult.AwaitingCertificate, next:
                $"no certificate in {certificates} yet. The edges pass HTTP-01 challenges home now: run certbot there with the deploy hook that installs it on them, "
                + "--deploy-hook /etc/letsencrypt/renewal-hooks/deploy/geodns-sidecar (deploy/home/certbot-deploy-hook); "
                + "the edges come Up on the nameservers once it is installed.");
        }
        var up = await UpWait.AllUpAsync(session, serving.Select(e => e.Name).ToList(),
            (edge, states) => progress.Waiting(edge, $"until every nameserver sees it Up ({states})"), cancel);
        return up.Ok ? Finish(BootstrapResult.Up) : Finish(BootstrapResult.Failed, up.Error!);
    }
}
