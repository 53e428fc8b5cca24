using GeoDns.Protocol;
using GeoDns.Tsig;

namespace GeoDns.Tests.Tsig;

public sealed class TsigKeyFileTests
{
    [Fact]
    public void Parse_TsigKeygenOutput_ReadsEveryKey()
    {
        const string text = """
            # written by tsig-keygen
            key "xfr" {
            	algorithm hmac-sha256;
            	secret "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMjM=";
            };
            // a second key
            key "acme.example." { algorithm hmac-sha512; /* inline */ secret "YWJj"; };
            """;
        var errors = new List<string>();
        var keys = TsigKeyFile.Parse(text, "keys.conf", errors);

        Assert.Empty(errors);
        Assert.Equal([DnsName.Parse("xfr"), DnsName.Parse("acme.example")], keys.Select(k => k.Name));
        Assert.Equal([TsigAlgorithm.HmacSha256, TsigAlgorithm.HmacSha512], keys.Select(k => k.Algorithm));
    }

    [Theory]
    [InlineData("key \"k\" {\n algorithm hmac-md5;\n secret \"YWJj\";\n};", "keys.conf:1: key \"k\": algorithm 'hmac-md5' is not hmac-sha256 or hmac-sha512")]
    [InlineData("key \"k\" {\n algorithm hmac-sha256;\n secret \"not base64!\";\n};", "keys.conf:1: key \"k\": the secret is missing or not base64")]
    [InlineData("\n\nkey \"k\" {\n algorithm hmac-sha256\n secret \"YWJj\";\n};", "keys.conf:4: expected 'algorithm VALUE;'")]
    [InlineData("zone \"k\" { };", "keys.conf:1: expected 'key \"name\" { ... };'")]
    public void Parse_Broken_ErrorWithFileAndLine_NeverTheSecret(string text, string expected)
    {
        var errors = new List<string>();
        TsigKeyFile.Parse(text, "keys.conf", errors);
        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void Key_ToString_NamesKeyNotSecret() =>
        Assert.Equal("xfr. (hmac-sha256.)", new TsigKey(DnsName.Parse("xfr"), TsigAlgorithm.HmacSha256, [1, 2, 3]).ToString());

    [Fact]
    public void Load_FileReadableByOthers_Warned()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new GeoDns.Testing.TempDirectory();
        var path = dir.Write("xfr.key", "key \"xfr\" { algorithm hmac-sha256; secret \"YWJj\"; };\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var (errors, warnings) = (new List<string>(), new List<string>());

        Assert.Single(TsigKeyFile.Load(path, errors, warnings));
        Assert.Empty(errors);
        Assert.Equal($"{path}: TSIG key file is readable by group or others; chmod 600 it", Assert.Single(warnings));
    }
}
