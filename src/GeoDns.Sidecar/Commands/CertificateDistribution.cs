using System.Security.Cryptography;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// Puts the home's certificate on every live edge (serving, joining) through the certificate hook:
/// renewals happen at home (certbot runs once, behind the edges' HTTP-01 pass-through), so without
/// this they would never reach the edges that exist already. Never on an edge on its way out
/// (draining, or the old edge of a running rotation): an edge is rotated because it is suspect, and
/// a key it never had is one it cannot give away. After a rotation, <see cref="RekeyAsync"/> has the
/// home ask for a certificate with a new key, and pushes it to the live edges.
/// <see cref="Changed"/> lets <c>run</c> push only when the files changed; what was pushed to every edge is kept in the
/// state file, so a restart of the daemon does not push (and reload every edge's nginx) again.
/// </summary>
public sealed class CertificateDistribution(SidecarSession session)
{
    private const string Collection = "certificates";

    /// <summary>The certificate every live edge got, as of <paramref name="At"/>.</summary>
    private sealed record Pushed(string Fingerprint, DateTimeOffset At);

    /// <summary>True when the certificate files differ from the ones last pushed to every edge.</summary>
    public bool Changed() => Fingerprint() is { } now && now != session.State.Get<Pushed>(Collection, "pushed")?.Fingerprint;

    public async Task<IReadOnlyList<(string Edge, Outcome Outcome)>> PushAsync(CancellationToken cancel)
    {
        var fingerprint = Fingerprint();
        var results = new List<(string, Outcome)>();
        foreach (var edge in session.Inventory.All().Where(e => e.Role is EdgeRole.Serving or EdgeRole.Joining && e.Host.Exists && !RotatingOut(e.Name)))
            results.Add((edge.Name, await session.Provider.InstallCertificateAsync(edge.Host, cancel)));
        if (fingerprint is not null && results.All(r => r.Item2.Ok)) session.State.Put(Collection, "pushed", new Pushed(fingerprint, session.Time.GetUtcNow()));
        return results;
    }

    /// <summary>
    /// After <paramref name="rotatedOut"/> is gone: runs the re-key hook (a new certificate with a new
    /// key, once) and pushes what it made to the live edges. Unset, it does nothing: the guide says
    /// what the rotated-out edge then still holds.
    /// </summary>
    public async Task<Outcome> RekeyAsync(EdgeHost rotatedOut, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(session.Options.Hooks.Rekey) || session.Options.Nginx.CertificateDir is null) return Outcome.Success;
        var rekeyed = await session.Provider.RekeyAsync(rotatedOut, cancel);
        if (!rekeyed.Ok) return rekeyed;
        // certbot's deploy hook may have pushed it already (through `certificates`); then nothing is left to do.
        if (!Changed()) return Outcome.Noted($"re-keyed after {rotatedOut.Name}; no new certificate to push (pushed already, or the re-key is still running)");
        var failed = (await PushAsync(cancel)).Where(r => !r.Outcome.Ok).Select(r => $"{r.Edge}: {r.Outcome.Error}").ToList();
        // The daemon pushes again while the files differ from what every edge got: a failure here is a note, not a reason to re-key again.
        return failed.Count == 0 ? Outcome.Success : Outcome.Noted($"re-keyed after {rotatedOut.Name}; not yet installed on {string.Join("; ", failed)}");
    }

    private bool RotatingOut(string edge) => session.Journal.Unfinished(edge) is { Status: Rotation.RotationStatus.Running };

    private string? Fingerprint()
    {
        if (session.Options.Nginx.CertificateDir is not { } dir) return null;
        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "fullchain.pem"))));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary><c>certificates</c>: push now, print each edge's result; exit 1 if any failed.</summary>
    public static async Task<int> RunAsync(SidecarSession session, TextWriter output, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(session.Options.Hooks.Certificate) || session.Options.Nginx.CertificateDir is null)
        {
            output.WriteLine("certificates: set hooks.certificate and nginx.certificateDir first");
            return 2;
        }
        var results = await new CertificateDistribution(session).PushAsync(cancel);
        foreach (var (edge, outcome) in results) output.WriteLine($"{edge,-16} {(outcome.Ok ? "installed" : outcome.Error)}");
        return results.All(r => r.Outcome.Ok) ? 0 : 1;
    }
}
