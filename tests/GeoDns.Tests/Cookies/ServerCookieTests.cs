using System.Net;
using GeoDns.Cookies;

namespace GeoDns.Tests.Cookies;

/// <summary>RFC 9018 Appendix A, byte for byte, and the SipHash-2-4 reference vectors.</summary>
public sealed class ServerCookieTests
{
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    [InlineData(63, 0x958a324ceb064572UL)]
    public void SipHash24_ReferenceVectors(int length, ulong expected)
    {
        var key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

        Assert.Equal(expected, SipHash.Hash24(key, message));
    }

    // A.1, A.2 (the same client, 40 minutes later), A.3 (another client), A.4 (IPv6, after a rollover, with the new secret).
    [Theory]
    [InlineData("e5e973e5a6b2a43f48e7dc849e37bfcf", "2464c4abcf10c957", "198.51.100.100", 1559731985u, "010000005cf79f111f8130c3eee29480")]
    [InlineData("e5e973e5a6b2a43f48e7dc849e37bfcf", "2464c4abcf10c957", "198.51.100.100", 1559734385u, "010000005cf7a871d4a564a1442aca77")]
    [InlineData("e5e973e5a6b2a43f48e7dc849e37bfcf", "fc93fc62807ddb86", "203.0.113.203", 1559734700u, "010000005cf7a9acf73a7810aca2381e")]
    [InlineData("445536bcd2513298075a5d379663c962", "22681ab97d52c298", "2001:db8:220:1:59de:d0f4:8769:82b8", 1559741961u, "010000005cf7c609a6bb79d16625507a")]
    public void Make_Rfc9018AppendixA_GivesTheCookieShown(string secret, string client, string address, uint now, string expected)
    {
        var cookie = new byte[16];

        ServerCookie.Make(Convert.FromHexString(secret), Convert.FromHexString(client), IPAddress.Parse(address).GetAddressBytes(), now, cookie);

        Assert.Equal(expected, Convert.ToHexString(cookie).ToLowerInvariant());
    }

    // The cookies the clients of A.2, A.3 (Reserved bytes set: hashed as received) and A.4 (made with the old secret) present.
    [Theory]
    [InlineData("e5e973e5a6b2a43f48e7dc849e37bfcf", "2464c4abcf10c957", "010000005cf79f111f8130c3eee29480", "198.51.100.100", 1559731985u)]
    [InlineData("e5e973e5a6b2a43f48e7dc849e37bfcf", "fc93fc62807ddb86", "01abcdef5cf78f71a314227b6679ebf5", "203.0.113.203", 1559727985u)]
    [InlineData("dd3bdf9344b678b185a6f5cb60fca715", "22681ab97d52c298", "010000005cf7c57926556bd0934c72f8", "2001:db8:220:1:59de:d0f4:8769:82b8", 1559741817u)]
    public void IsValid_Rfc9018AppendixA_CookiesPresentedVerify(string secret, string client, string server, string address, uint issued)
    {
        byte[] key = Convert.FromHexString(secret), clientCookie = Convert.FromHexString(client), serverCookie = Convert.FromHexString(server);
        var ip = IPAddress.Parse(address).GetAddressBytes();

        Assert.True(ServerCookie.IsValid(key, clientCookie, serverCookie, ip, issued + 60));
        Assert.False(ServerCookie.IsValid(key, clientCookie, serverCookie, IPAddress.Parse("192.0.2.1").GetAddressBytes(), issued + 60));
        Assert.False(ServerCookie.IsValid(new byte[16], clientCookie, serverCookie, ip, issued + 60));
        Assert.False(ServerCookie.IsValid(key, new byte[8], serverCookie, ip, issued + 60));
    }

    [Theory]
    [InlineData(3600, true)]
    [InlineData(3601, false)]   // expired: older than an hour (RFC 9018 §4.3)
    [InlineData(-300, true)]
    [InlineData(-301, false)]   // from too far in the future
    public void IsValid_Age_AnHourBackFiveMinutesAhead(int age, bool valid)
    {
        var key = new byte[16];
        byte[] client = [1, 2, 3, 4, 5, 6, 7, 8], address = [192, 0, 2, 1];
        var cookie = new byte[16];
        ServerCookie.Make(key, client, address, 1_000_000, cookie);

        Assert.Equal(valid, ServerCookie.IsValid(key, client, cookie, address, (uint)(1_000_000 + age)));
    }
}
