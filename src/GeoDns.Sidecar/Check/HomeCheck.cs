using System.Globalization;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Check;

/// <summary>What only the home can say: whether a dying edge would still be replaced today, and how long its certificate lasts.</summary>
public static class HomeCheck
{
    public static CheckResult Rotations(FleetView fleet, Outcome<IReadOnlyList<RotationRecord>> read)
    {
        const string What = "rotations";
        if (!read.Ok) return CheckResult.Fail(What, $"cannot read them: {read.Error}", "run check as the sidecar's user, with its config (the state file or the run daemon's endpoint and tokenFile)");
        var policy = fleet.Options.Rotation;
        // As RotationEngine counts: rotations begun in the last 24 hours.
        var today = read.Value!.Count(r => r.Started > fleet.Time.GetUtcNow() - TimeSpan.FromDays(1));
        var left = Math.Max(0, policy.DailyBudget - today);
        var failed = read.Value!.Where(r => r.Status == RotationStatus.Failed).ToList();
        if (failed.Count > 0)
            return CheckResult.Fail(What, $"{string.Join("; ", failed.Select(r => r.Summary()))}; the old edge still serves",
                string.Join("; ", failed.Select(r => $"`geodns-sidecar rotate {r.OldEdge}` retries it")) + " (see `geodns-sidecar status` for why it stopped)");
        var detail = $"{left} of {policy.DailyBudget} left in the last 24 h (rotation.dailyBudget), none failed";
        return left == 0
            ? CheckResult.Fail(What, $"0 of {policy.DailyBudget} left in the last 24 h: an edge that dies now is not replaced",
                "wait until the oldest rotation is a day old, or raise rotation.dailyBudget (and find out why edges keep dying)")
            : CheckResult.Pass(What, detail);
    }

    public static CheckResult Certificate(FleetView fleet)
    {
        const string What = "home certificate";
        if (HomeCertificate.Read(fleet.Options.Nginx.CertificateDir) is not { } certificate) return CheckResult.Pass(What, "not checked: nginx.certificateDir is not set");
        if (certificate.Error is not null)
            return CheckResult.Fail(What, $"cannot read {certificate.Path}: {certificate.Error}", "get a certificate (certbot, guide §7) and point nginx.certificateDir at its directory");
        var now = fleet.Time.GetUtcNow();
        var days = certificate.DaysLeft(now)!.Value;
        var until = certificate.NotAfter!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (days < 0 || certificate.Expired(now))
            return CheckResult.Fail(What, $"{certificate.Path} ({certificate.Subject}) expired {until}", "renew it (certbot renew); its deploy hook installs it on the edges");
        var detail = $"{certificate.Subject}, {days} days left";
        return CheckResult.Pass(What, days < fleet.Check.CertificateWarningDays
            ? $"{detail} — warning: fewer than {fleet.Check.CertificateWarningDays} days; is certbot renewing it (systemctl list-timers)?"
            : detail);
    }
}
