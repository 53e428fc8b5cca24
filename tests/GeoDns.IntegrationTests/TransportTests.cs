using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

public sealed class TransportTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Udp_ExistingName_AuthoritativeAnswerWithQuestionCaseEchoed()
    {
        var reply = _server.Udp(TestQuery.Build("WwW.Example.COM", 1, id: 0xBEEF))!;
        var message = ReplyText.Parse(reply);

        Assert.Equal(0xBEEF, message.TransactionID);
        Assert.True(message.IsAuthoritiveAnswer);
        Assert.Equal("WwW.Example.COM.", message.Questions[0].Name.ToString());
        // The answer's owner is a pointer to the question, so it shows the case asked, as BIND's does.
        Assert.Equal(["WwW.Example.COM. 300 IN A 127.0.0.10"], message.Answer());
    }

    [Fact]
    public void Tcp_PipelinedQueries_AnsweredInOrderOnOneConnection()
    {
        using var client = _server.ConnectTcp();
        var stream = client.GetStream();
        for (ushort id = 1; id <= 5; id++) TestServer.SendFramed(stream, TestQuery.Build("www.example.com", 1, id: id));

        for (ushort id = 1; id <= 5; id++)
        {
            var message = ReplyText.Parse(TestServer.ReadFramed(stream)!);
            Assert.Equal(id, message.TransactionID);
            Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], message.Answer());
        }
    }

    [Fact]
    public void Tcp_IdleConnection_ClosedByServer()
    {
        using var client = _server.ConnectTcp();
        client.ReceiveTimeout = 10_000;

        // The test server's idle timeout is 2 s: the read ends with the server's close, not our timeout.
        Assert.Null(TestServer.ReadFramed(client.GetStream()));
    }

    [Fact]
    public async Task Tcp_LargeAnswerTruncatedOverUdp_WholeOverTcp()
    {
        var texts = string.Join("\n", Enumerable.Range(0, 20).Select(i => $"big TXT \"{new string((char)('a' + i), 200)}\""));
        File.WriteAllText(Path.Combine(_server.ZoneDirectory, "example.com.zone"), TestServer.ExampleZone + "\n" + texts + "\n");
        await _server.Service.Operations!.ReloadZonesAsync("test");

        var udp = ReplyText.Parse(_server.Udp(TestQuery.Build("big.example.com", 16, ednsPayload: 1232))!);
        using var client = _server.ConnectTcp();
        TestServer.SendFramed(client.GetStream(), TestQuery.Build("big.example.com", 16));
        var tcp = ReplyText.Parse(TestServer.ReadFramed(client.GetStream())!);

        Assert.True(udp.IsTruncated);
        Assert.Empty(udp.AnswerRecords);
        Assert.False(tcp.IsTruncated);
        Assert.Equal(20, tcp.AnswerRecords.Count);
    }

    [Fact]
    public void Udp_ManyQueriesFromOneClient_AllAnswered()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveTimeout = 2000;
        var buffer = new byte[1500];
        for (ushort id = 0; id < 200; id++)
        {
            socket.SendTo(TestQuery.Build("www.example.com", 1, id: id), _server.Endpoint);
            var length = socket.Receive(buffer);
            Assert.Equal(id, TestQuery.Id(buffer.AsSpan(0, length)));
        }
    }
}
