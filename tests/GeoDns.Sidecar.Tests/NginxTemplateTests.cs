using GeoDns.Sidecar.Nginx;

namespace GeoDns.Sidecar.Tests;

public sealed class NginxTemplateTests
{
    private static NginxOptions Options(NginxMode mode, string directory = "/var/edge") => new()
    {
        Mode = mode,
        Domains = ["app.example.com", "www.example.com"],
        Variables = new()
        {
            ["log_dir"] = directory,
            ["pid_file"] = $"{directory}/nginx.pid",
            ["certificate"] = $"{directory}/cert.pem",
            ["certificate_key"] = $"{directory}/key.pem",
        },
    };

    private static string Render(NginxMode mode, string directory = "/var/edge")
    {
        var options = Options(mode, directory);
        var rendered = NginxTemplate.BuiltIn(mode).Render(options.VariablesFor("10.77.0.1"));
        Assert.True(rendered.Ok, rendered.Error);
        return rendered.Value!;
    }

    [Fact]
    public void Tls_Golden()
    {
        Assert.Equal(NginxGolden.Tls, Render(NginxMode.Tls));
    }

    [Fact]
    public void Passthrough_Golden_ForwardsRawTcpWithProxyProtocol()
    {
        Assert.Equal(NginxGolden.Passthrough, Render(NginxMode.Passthrough));
    }

    [Fact]
    public void Render_UnknownPlaceholder_FailsNamingIt()
    {
        var rendered = new NginxTemplate("mine.conf", "listen {{port}}; proxy_pass {{home_tunnel}}; {{ also_missing }}")
            .Render(new Dictionary<string, string> { ["home_tunnel"] = "10.77.0.1" });

        Assert.False(rendered.Ok);
        Assert.Equal("mine.conf: no value for {{also_missing}}, {{port}} (set it under nginx.variables)", rendered.Error);
    }

    [Fact]
    public void Variables_UpstreamPortFollowsTheMode_UserValuesWin()
    {
        Assert.Equal("80", new NginxOptions { Mode = NginxMode.Tls }.VariablesFor("10.77.0.1")["upstream_port"]);
        Assert.Equal("443", new NginxOptions { Mode = NginxMode.Passthrough }.VariablesFor("10.77.0.1")["upstream_port"]);
        Assert.Equal("8080", new NginxOptions { UpstreamPort = 8080 }.VariablesFor("10.77.0.1")["upstream_port"]);
        Assert.Equal("/etc/letsencrypt/live/a.example/fullchain.pem", new NginxOptions { Domains = ["a.example"] }.VariablesFor("10.77.0.1")["certificate"]);
    }

    [SkippableTheory]
    [InlineData(NginxMode.Tls)]
    [InlineData(NginxMode.Passthrough)]
    public void Rendered_PassesNginxTest(NginxMode mode)
    {
        var nginx = Executables.Find("nginx");
        Skip.If(nginx is null, "nginx is not installed");
        Skip.If(mode == NginxMode.Passthrough && Tools.Run(nginx, "-V").Stderr.Contains("--with-stream=dynamic", StringComparison.Ordinal)
            && !File.Exists("/usr/lib/nginx/modules/ngx_stream_module.so"), "nginx's stream module is not installed (libnginx-mod-stream)");
        using var scratch = new Scratch();
        var certificate = Tools.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=app.example.com",
            "-keyout", scratch["key.pem"], "-out", scratch["cert.pem"]);
        Assert.True(certificate.ExitCode == 0, certificate.Stderr);
        // Module paths in /etc/nginx/modules-enabled are relative to the prefix: give ours the system's modules.
        if (Directory.Exists("/usr/share/nginx/modules")) File.CreateSymbolicLink(scratch["modules"], "/usr/share/nginx/modules");
        File.WriteAllText(scratch["nginx.conf"], Render(mode, scratch.Path));

        var result = Tools.Run(nginx, "-t", "-p", scratch.Path, "-c", scratch["nginx.conf"], "-e", scratch["error.log"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("test is successful", result.Stderr);
    }
}
