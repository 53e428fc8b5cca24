using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// A home app behind the edges, like Home Assistant: Kestrel on loopback, a WebSocket at /ws that
/// greets first (the server speaks unprompted), then answers each text message with "home got: ..."
/// and echoes binary ones; it records the headers of each upgrade it accepted.
/// </summary>
public sealed class HomeWebSocketApp : IAsyncDisposable
{
    public const string Greeting = "hello from home";

    private readonly WebApplication _app;

    private HomeWebSocketApp(WebApplication app) => _app = app;

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Upgrades { get; } = new();

    public int Port { get; private set; }

    public static async Task<HomeWebSocketApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var home = new HomeWebSocketApp(app);
        app.UseWebSockets();
        app.Map("/ws", home.ServeAsync);
        app.MapGet("/", () => "plain page from home\n");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        home.Port = new Uri(address).Port;
        return home;
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Upgrades.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var ct = context.RequestAborted;
        await socket.SendAsync(Encoding.UTF8.GetBytes(Greeting), WebSocketMessageType.Text, endOfMessage: true, ct);
        while (true)
        {
            var (type, message) = await ReceiveAsync(socket, ct);
            if (type == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                return;
            }
            var reply = type == WebSocketMessageType.Text ? Encoding.UTF8.GetBytes("home got: " + Encoding.UTF8.GetString(message)) : message;
            await socket.SendAsync(reply, type, endOfMessage: true, ct);
        }
    }

    /// <summary>One whole message, however many frames it came in.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Message)> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close) return (received.MessageType, []);
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage) return (received.MessageType, message.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
