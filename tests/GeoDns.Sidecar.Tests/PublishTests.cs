namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The guide's build step, for real: deploy/publish.sh makes self-contained single files of both
/// programs for linux-x64 and linux-arm64, and what it makes runs on a machine without .NET,
/// from a directory that holds nothing but the file the guide copies there. It runs beside the other tests:
/// publish.sh builds in its own output directory, not in the projects' obj/.
/// </summary>
public sealed class PublishTests
{
    [Fact]
    public async Task PublishScript_BothProgramsBothRids_SingleFilesThatRun()
    {
        using var scratch = new Scratch();

        foreach (var (rid, machine) in new[] { ("linux-x64", 0x3E), ("linux-arm64", 0xB7) })
        {
            var output = await PublishedPrograms.DirectoryAsync(rid);
            foreach (var program in new[] { "server/GeoDns.Server", "sidecar/GeoDns.Sidecar" })
                Assert.Equal(machine, ElfMachine(Path.Combine(output, program)));
            // Single files: nothing else the program needs beside it (debug symbols may be).
            Assert.All(Directory.GetFiles(output, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".pdb", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal)),
                f => Assert.Contains(Path.GetFileName(f), new[] { "GeoDns.Server", "GeoDns.Sidecar" }));
        }

        // As installed at home: the binary alone in /opt/geodns; HOME is the sidecar's data directory.
        var x64 = await PublishedPrograms.DirectoryAsync("linux-x64");
        var opt = scratch["opt"];
        Directory.CreateDirectory(opt);
        Directory.CreateDirectory(scratch["home"]);
        var sidecar = Path.Combine(opt, "GeoDns.Sidecar");
        File.Copy(Path.Combine(x64, "sidecar/GeoDns.Sidecar"), sidecar);
        var home = new Dictionary<string, string> { ["HOME"] = scratch["home"], ["DOTNET_ROOT"] = scratch["no-dotnet"] };
        var version = await Script.RunAsync(sidecar, ["--version"], TimeSpan.FromSeconds(30), opt, home);
        Assert.True(version.ExitCode == 0, version.Describe());
        Assert.Matches(VersionTests.Expected(), version.Stdout);

        // keys loads the native crypto library (libsodium) the single file carries.
        File.WriteAllText(scratch["sidecar.json"], """
            { "pool": "app.example.com", "wireguardDir": "wireguard", "apply": "", "edges": [ { "name": "edge-1", "ipv4": "192.0.2.11" } ] }
            """);
        var keys = await Script.RunAsync(sidecar, ["--config", scratch["sidecar.json"], "--data", scratch["data"], "keys"], TimeSpan.FromSeconds(30), opt, home);
        Assert.True(keys.ExitCode == 0, keys.Describe());
        Assert.Contains("edge-1", keys.Stdout);

        var server = await Script.RunAsync(Path.Combine(x64, "server/GeoDns.Server"), ["--version"], TimeSpan.FromSeconds(30), opt, home);
        Assert.True(server.ExitCode == 0, server.Describe());
        Assert.Matches(@"^geodns \d+\.\d+\.\d+", server.Stdout);
        // The guide's first step on a nameserver: its config and zones checked by the binary it copied.
        var zones = Directory.CreateDirectory(scratch["zones"]).FullName;
        File.WriteAllText(Path.Combine(zones, "example.com.zone"), "$ORIGIN example.com.\n@ 300 IN SOA ns1 h 1 3600 600 86400 60\n@ 300 IN NS ns1\nns1 300 IN A 127.0.0.1\n");
        var check = await Script.RunAsync(Path.Combine(x64, "server/GeoDns.Server"), ["--check", "--zones", zones], TimeSpan.FromSeconds(30), opt, home);
        Assert.True(check.ExitCode == 0, check.Describe());
    }

    /// <summary>The ELF header's e_machine: 0x3E x86-64, 0xB7 AArch64.</summary>
    private static int ElfMachine(string path)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(path)) file.ReadExactly(header);
        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        return header[18] | (header[19] << 8);
    }
}
