using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// One DNS question to one server, as <c>dig</c> asks it: UDP first, TCP when the reply is truncated. No retry and no
/// other server: the check exists to see this one server fail. A server that does not answer is a failed value after
/// the timeout.
/// </summary>
public static class DnsQuery
{
    public static async Task<Outcome<DnsMessage>> AskAsync(IPEndPoint server, string name, RecordType type, bool recursion, TimeSpan timeout, CancellationToken cancel)
    {
        using var client = new DnsClient([server.Address], [new UdpClientTransport(server.Port), new TcpClientTransport(server.Port)], true, (int)timeout.TotalMilliseconds);
        // ARSoft's own timeout is per transport; this bounds the whole question, TCP fallback included.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout * 2);
        var options = new DnsQueryOptions { IsRecursionDesired = recursion, IsEDnsEnabled = true };
        try
        {
            var reply = await client.ResolveAsync(DomainName.Parse(name), type, RecordClass.INet, options, limit.Token);
            return reply is null
                ? Outcome<DnsMessage>.Failed($"no answer from {server} within {timeout.TotalSeconds:0.#} s")
                : Outcome<DnsMessage>.Success(reply);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return Outcome<DnsMessage>.Failed($"no answer from {server} within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is SocketException or IOException or ArgumentException)
        {
            return Outcome<DnsMessage>.Failed($"{server}: {e.Message}");
        }
    }

    /// <summary>The IPv4 and IPv6 addresses of <paramref name="records"/> owned by <paramref name="owner"/>.</summary>
    public static IReadOnlyList<IPAddress> Addresses(IEnumerable<DnsRecordBase> records, string owner) =>
        records.Where(r => Same(r.Name, owner)).Select(r => r switch
        {
            ARecord a => a.Address,
            AaaaRecord aaaa => aaaa.Address,
            _ => null,
        }).OfType<IPAddress>().Distinct().ToList();

    public static bool Same(DomainName name, string other) => Text(name).Equals(other.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>A name as people write it: no trailing dot.</summary>
    public static string Text(DomainName name) => name.ToString().TrimEnd('.');
}
