using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Tests;

public sealed class KeyPairTests
{
    // RFC 7748 section 6.1: Alice's X25519 private and public key.
    private const string RfcPrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private const string RfcPublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";

    private static string Base64(string hex) => Convert.ToBase64String(Convert.FromHexString(hex));

    [Fact]
    public void FromPrivateKey_RfcVector_DerivesRfcPublicKey()
    {
        var pair = KeyPair.FromPrivateKey(Base64(RfcPrivate));

        Assert.Equal(Base64(RfcPublic), pair.PublicKey);
    }

    [Fact]
    public void GenerateWithNSec_ValidClampedKeys_PublicDerivesFromPrivate()
    {
        var pair = KeyPair.GenerateWithNSec();

        var secret = Convert.FromBase64String(pair.PrivateKey);
        Assert.Equal(32, secret.Length);
        Assert.Equal(32, Convert.FromBase64String(pair.PublicKey).Length);
        Assert.Equal(0, secret[0] & 7);
        Assert.Equal(64, secret[31] & 192);
        Assert.Equal(pair.PublicKey, KeyPair.FromPrivateKey(pair.PrivateKey).PublicKey);
        Assert.NotEqual(pair.PrivateKey, KeyPair.GenerateWithNSec().PrivateKey);
    }

    [SkippableFact]
    public void WgTool_AgreesWithNSec()
    {
        var wg = WgTool.Find();
        Skip.If(wg is null, "wireguard-tools (wg) is not installed");

        var fromWg = wg.TryGenerate();
        var fromNSec = KeyPair.GenerateWithNSec();

        Assert.NotNull(fromWg);
        Assert.Equal(fromWg.PublicKey, KeyPair.FromPrivateKey(fromWg.PrivateKey).PublicKey);
        Assert.Equal(fromNSec.PublicKey, wg.PublicKey(fromNSec.PrivateKey));
    }

    [Fact]
    public void ToString_LeavesThePrivateKeyOut()
    {
        var pair = KeyPair.GenerateWithNSec();

        Assert.DoesNotContain(pair.PrivateKey, pair.ToString());
        Assert.Contains(pair.PublicKey, pair.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all, but forty-four chars long")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")] // 31 bytes
    public void IsValidKey_RejectsAnythingButBase64Of32Bytes(string? text)
    {
        Assert.False(KeyPair.IsValidKey(text));
        Assert.True(KeyPair.IsValidKey(Base64(RfcPublic)));
    }
}
