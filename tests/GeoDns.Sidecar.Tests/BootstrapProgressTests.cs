using System.Text.Json;
using GeoDns.Sidecar.Commands;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>bootstrap says what it does as it goes, and ends with a summary a person or (with --json) a script reads.</summary>
public sealed class BootstrapProgressTests
{
    [Fact]
    public async Task BootstrapJson_SummaryAloneOnStdout_StepsOnTheOtherWriter()
    {
        using var sidecar = FakeSidecar.Create(o =>
        {
            o.Nginx.CertificateDir = "/nonexistent/certificate";
            o.Edges.Add(new EdgeHost { Name = "edge-3", Country = "US" });
        });
        var (output, progress) = (new StringWriter(), new StringWriter());

        var code = await BootstrapCommand.RunAsync(sidecar.Session, output, progress, json: true, CancellationToken.None);

        Assert.True(code == 0, output + progress.ToString());
        using var document = JsonDocument.Parse(output.ToString());
        var root = document.RootElement;
        Assert.Equal("AwaitingCertificate", root.GetProperty("result").GetString());
        var created = root.GetProperty("created").EnumerateArray().Single();
        Assert.Equal(("edge-3", "192.0.2.50"), (created.GetProperty("name").GetString(), created.GetProperty("ipv4").GetString()));
        Assert.Equal(["edge-1", "edge-2", "edge-3"], root.GetProperty("provisioned").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, root.GetProperty("nameservers").GetInt32());
        Assert.Contains("no certificate in /nonexistent/certificate yet", root.GetProperty("next").GetString());
        Assert.Contains("[00:00] edge-3: created at 192.0.2.50", progress.ToString());
        Assert.Contains("[00:00] edge-2: added on 2 nameservers", progress.ToString());
    }

    [Fact]
    public async Task Bootstrap_FailingProvision_SummarySaysWhatWasCreatedAndHowToRetry()
    {
        using var sidecar = FakeSidecar.Create(o =>
        {
            o.Hooks.Provision = "test \"$EDGE_NAME\" != edge-3";
            o.Edges.Add(new EdgeHost { Name = "edge-3", Country = "US" });
        });
        var output = new StringWriter();

        // The provision hook is retried after a delay on the fake clock: Drive moves it on.
        var code = await sidecar.Drive(BootstrapCommand.RunAsync(sidecar.Session, output, CancellationToken.None));

        Assert.Equal(1, code);
        var text = output.ToString();
        Assert.Contains("bootstrap failed: edge-3: provision hook failed", text);
        Assert.Contains("created:     edge-3 (192.0.2.50)", text);
        Assert.Contains("provisioned: edge-1, edge-2", text);
        Assert.Contains("next:        run `geodns-sidecar bootstrap` again", text);
    }

    [Fact]
    public void Progress_WaitRepeatsOnlyOnAChangeOrAHeartbeat()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var progress = new Progress(output, time);

        time.Advance(TimeSpan.FromSeconds(42));
        progress.Waiting("edge-2", "until every nameserver sees it Up (ns1 Up, ns2 Suspect)");
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Waiting("edge-2", "until every nameserver sees it Up (ns1 Up, ns2 Suspect)");
        progress.Waiting("edge-2", "until every nameserver sees it Up (ns1 Up, ns2 Up/Suspect)");
        time.Advance(Progress.Heartbeat);
        progress.Waiting("edge-2", "until every nameserver sees it Up (ns1 Up, ns2 Up/Suspect)");
        time.Advance(TimeSpan.FromHours(1));
        progress.Step("edge-2", "Up");

        Assert.Equal(
        [
            "[00:42] edge-2: waiting until every nameserver sees it Up (ns1 Up, ns2 Suspect)",
            "[00:43] edge-2: waiting until every nameserver sees it Up (ns1 Up, ns2 Up/Suspect)",
            "[01:13] edge-2: waiting until every nameserver sees it Up (ns1 Up, ns2 Up/Suspect)",
            "[1:01:13] edge-2: Up",
        ], output.ToString().TrimEnd().Split(Environment.NewLine));
    }
}
