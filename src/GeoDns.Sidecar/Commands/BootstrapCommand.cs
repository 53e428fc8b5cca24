using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>bootstrap</c>: the first edges, from the config. Edges listed without an address are created
/// through the create hook (with their <c>country</c> as <c>EDGE_COUNTRY</c>); then every serving
/// edge is provisioned, the home's tunnels applied, each edge added on every nameserver, and the
/// command waits until every nameserver sees every edge Up. Each part is idempotent, so running it
/// again after a failure finishes the job without buying a second VPS.
/// </summary>
public static class BootstrapCommand
{
    public static async Task<int> RunAsync(SidecarSession session, TextWriter output, CancellationToken cancel)
    {
        var checkedFirst = await Preflight.CheckAsync(session, cancel);
        if (!checkedFirst.Ok) return Fail(output, checkedFirst.Error!);
        foreach (var edge in session.Inventory.All().Where(e => e.Role == EdgeRole.Serving && !e.Host.Exists))
        {
            var created = await session.Provider.CreateAsync(edge.Name, edge.Host, cancel);
            if (!created.Ok) return Fail(output, $"{edge.Name}: {created.Error}");
            session.Inventory.Save(edge with { Host = created.Value! with { Name = edge.Name } });
            output.WriteLine($"created   {edge.Name} at {created.Value!.Ipv4 ?? created.Value.Ipv6}");
        }
        var rendered = session.RenderAll();
        if (!rendered.Ok) return Fail(output, rendered.Error!);
        var serving = session.Inventory.All().Where(e => e.Role == EdgeRole.Serving).ToList();
        foreach (var edge in serving)
        {
            var provisioned = await session.Provider.ProvisionAsync(edge.Host, session.Files.WireGuardPath(edge.Name), session.Files.NginxPath(edge.Name), cancel);
            if (!provisioned.Ok) return Fail(output, $"{edge.Name}: {provisioned.Error}");
            output.WriteLine($"provisioned {edge.Name}");
        }
        var applied = await session.ApplyRetry.RunAsync(token => session.Apply.RunAsync(session.WriteHome(), token), reason => Outcome.Failed(reason), cancel);
        if (!applied.Ok) return Fail(output, applied.Error!);
        foreach (var edge in serving)
        {
            var added = await session.Nameservers.AddAsync(edge.Host, cancel);
            if (!added.Ok) return Fail(output, added.Error!);
        }
        if (session.Options.Nginx is { Mode: Nginx.NginxMode.Tls, CertificateDir: { } certificates } && !File.Exists(Path.Combine(certificates, "fullchain.pem")))
        {
            // The chicken and the egg: the edges answer HTTP-01 (passed home) already, but an HTTPS
            // probe cannot pass before the certificate exists. certbot's deploy hook ends the wait.
            output.WriteLine($"bootstrap: {serving.Count} edges provisioned and added; no certificate in {certificates} yet.");
            output.WriteLine("  The edges pass HTTP-01 challenges home now: run certbot there with the deploy hook that installs it on them,");
            output.WriteLine("  --deploy-hook /etc/letsencrypt/renewal-hooks/deploy/geodns-sidecar (deploy/home/certbot-deploy-hook);");
            output.WriteLine("  the edges come Up on the nameservers once it is installed.");
            return 0;
        }
        var up = await UpWait.AllUpAsync(session, serving.Select(e => e.Name).ToList(), cancel);
        if (!up.Ok) return Fail(output, up.Error!);
        output.WriteLine($"bootstrap: {serving.Count} edges Up on {session.Nameservers.Clients.Count} nameservers");
        return 0;
    }

    private static int Fail(TextWriter output, string error)
    {
        output.WriteLine($"bootstrap failed: {error} (run it again to finish: every step is idempotent)");
        return 1;
    }
}
