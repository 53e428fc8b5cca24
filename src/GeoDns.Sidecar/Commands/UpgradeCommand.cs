using GeoDns.Sidecar.Fleet;
using GeoDns.Sidecar.Reports;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>upgrade [PACKAGE] [--edges] [--json]</c>: the rolling upgrade of <see cref="FleetUpgrade"/>, to PACKAGE or else
/// <c>fleet.package</c>, with progress lines as it goes and a summary at the end (with <c>--json</c> the summary is
/// the only document on stdout and the progress goes to stderr).
/// </summary>
public static class UpgradeCommand
{
    public static async Task<int> RunAsync(SidecarSession session, string? package, bool edges, TextWriter output, TextWriter progressOutput, bool json, CancellationToken cancel)
    {
        var progress = new Progress(progressOutput, session.Time);
        package ??= session.Options.Fleet.Package;
        var report = new UpgradeReport { Package = package is null ? null : FleetBootstrap.PackageVersion(package) ?? Path.GetFileName(package) };
        var done = package is null
            ? Outcome.Failed("name the package to upgrade to: `upgrade geodns_V_ARCH.deb` (or set fleet.package)")
            : await FleetUpgrade.RunAsync(session, package, edges, progress, report, cancel);
        (report.Ok, report.Error) = (done.Ok, done.Error);
        if (json) ReportJson.Write(output, report);
        else foreach (var line in report.Lines()) output.WriteLine(line);
        return done.Ok ? 0 : 1;
    }
}
