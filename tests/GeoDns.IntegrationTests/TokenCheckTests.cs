using System.Net;
using GeoDns.Server.Admin;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>The admin access decision on its own, for the cases real HTTP on loopback cannot reach: clients beyond this machine, time passing.</summary>
public sealed class TokenCheckTests
{
    private const string Token = "right-token";
    private static readonly IPAddress Remote = IPAddress.Parse("198.51.100.7");
    private readonly FakeTimeProvider _time = new();

    private TokenCheck Check(string? token = Token) => new(new AdminSettings(new IPEndPoint(IPAddress.Any, 8053), token), new FailedAttempts(_time));

    [Theory]
    [InlineData("GET", "127.0.0.1", "127.0.0.1:8053", null, AccessDecision.Allowed)]
    [InlineData("GET", "::1", "[::1]:8053", null, AccessDecision.Allowed)]
    [InlineData("GET", "::ffff:127.0.0.1", "localhost:8053", null, AccessDecision.Allowed)]
    [InlineData("GET", "198.51.100.7", "ns1.example.com:8053", null, AccessDecision.TokenRequired)]
    [InlineData("GET", "127.0.0.1", "rebound.example:8053", null, AccessDecision.TokenRequired)]
    [InlineData("GET", "198.51.100.7", "ns1.example.com:8053", "Bearer right-token", AccessDecision.Allowed)]
    [InlineData("PUT", "127.0.0.1", "127.0.0.1:8053", null, AccessDecision.TokenRequired)]
    [InlineData("DELETE", "198.51.100.7", "x", "Bearer right-token", AccessDecision.Allowed)]
    [InlineData("POST", "127.0.0.1", "127.0.0.1:8053", "Bearer wrong", AccessDecision.WrongToken)]
    [InlineData("POST", "127.0.0.1", "127.0.0.1:8053", "Basic cmlnaHQtdG9rZW4=", AccessDecision.WrongToken)]
    public void Decide(string method, string client, string host, string? authorization, AccessDecision expected) =>
        Assert.Equal(expected, Check().Decide(method, IPAddress.Parse(client), host, authorization));

    [Fact]
    public void NoTokenConfigured_ChangesOff_LoopbackReadsStillWork()
    {
        var check = Check(token: null);

        Assert.Equal(AccessDecision.ChangesDisabled, check.Decide("PUT", IPAddress.Loopback, "127.0.0.1", null));
        Assert.Equal(AccessDecision.Allowed, check.Decide("GET", IPAddress.Loopback, "127.0.0.1", null));
    }

    [Fact]
    public void TenWrongTokensAMinute_ThenBlockedForTheRestOfIt_OthersUnaffected()
    {
        var check = Check();
        for (var i = 0; i < FailedAttempts.Limit; i++) Assert.Equal(AccessDecision.WrongToken, check.Decide("PUT", Remote, "x", "Bearer wrong"));

        Assert.Equal(AccessDecision.TooManyAttempts, check.Decide("PUT", Remote, "x", "Bearer " + Token));
        Assert.Equal(AccessDecision.Allowed, check.Decide("PUT", IPAddress.Parse("198.51.100.8"), "x", "Bearer " + Token));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(AccessDecision.TooManyAttempts, check.Decide("PUT", Remote, "x", "Bearer " + Token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AccessDecision.Allowed, check.Decide("PUT", Remote, "x", "Bearer " + Token));
    }

    [Fact]
    public void Ipv6Clients_CountedPer64()
    {
        var check = Check();
        for (var i = 0; i < FailedAttempts.Limit; i++) check.Decide("PUT", IPAddress.Parse($"2001:db8:1:2::{i + 1:x}"), "x", "Bearer wrong");

        Assert.Equal(AccessDecision.TooManyAttempts, check.Decide("PUT", IPAddress.Parse("2001:db8:1:2:ffff::1"), "x", "Bearer " + Token));
        Assert.Equal(AccessDecision.Allowed, check.Decide("PUT", IPAddress.Parse("2001:db8:1:3::1"), "x", "Bearer " + Token));
    }
}
