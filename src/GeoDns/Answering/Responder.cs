using System.Buffers.Binary;
using GeoDns.Cookies;
using GeoDns.Diagnostics;
using GeoDns.Geo;
using GeoDns.Protocol;
using GeoDns.RateLimiting;

namespace GeoDns.Answering;

/// <summary>
/// The query path: parse, look the name up in the current <see cref="AnswerTable"/>, copy the
/// prepared reply. It reads the table reference once per query and takes no locks, so a reload
/// swapping in a new table never pauses answering. No allocation except for names below a DNAME.
/// </summary>
public sealed class Responder
{
    /// <summary>Our EDNS UDP payload (DNS flag day 2020): replies stay below common path MTUs, unfragmented.</summary>
    public const ushort MaxUdpPayload = 1232;
    public const int ClassicUdpLimit = 512;

    /// <summary>ECS addresses are looked up no more precisely than this (RFC 7871 §11.1: privacy), and scopes are capped to it.</summary>
    public const int Ipv4SubnetCap = ClientLocator.Ipv4SubnetCap, Ipv6SubnetCap = ClientLocator.Ipv6SubnetCap;

    /// <summary>Returned by <see cref="Respond"/> for a message that <see cref="Exchange"/> answers instead.</summary>
    public const int Diverted = -1;

    private volatile IMessageExchange? _exchange;
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Counts queries per thread, so equal choices take turns without a shared counter.</summary>
    [ThreadStatic] private static uint t_turn;

    /// <summary>What queries are answered from: the table, and the geo database (null turns geo off: pool answers then rotate through every healthy edge).</summary>
    public Snapshot Snapshot
    {
        get => _snapshot;
        set => _snapshot = value;
    }

    /// <summary>Transfers, NOTIFY, UPDATE and TSIG, off the hot path; null refuses them here (NOTIMP, REFUSED, as before).</summary>
    public IMessageExchange? Exchange
    {
        get => _exchange;
        set => _exchange = value;
    }

    /// <summary>Where <see cref="Diverted"/> messages wait for the exchange's workers: never handled on a receive thread.</summary>
    public ExchangeWorkers Exchanges { get; }

    /// <summary>Failures caught while handling a message or running a loop, by place.</summary>
    public InternalErrors InternalErrors { get; } = new();

    public Responder() : this(ExchangeWorkers.DefaultCapacity, ExchangeWorkers.DefaultWorkers) { }

    /// <param name="exchangeQueue">How many diverted messages may wait (<see cref="ExchangeWorkers"/>).</param>
    /// <param name="exchangeWorkers">How many threads handle them.</param>
    public Responder(int exchangeQueue, int exchangeWorkers) => Exchanges = new ExchangeWorkers(this, exchangeQueue, exchangeWorkers);

    /// <summary>For tests: answer from this table alone, without geo.</summary>
    public AnswerTable Table
    {
        get => _snapshot.Table;
        set => _snapshot = Snapshot.Empty with { Table = value };
    }

    /// <summary>Response rate limiting of UDP replies; null turns it off. TCP replies, and clients with a valid server cookie, are never limited.
    /// A reload may swap it while queries run: each query reads it once.</summary>
    public RateLimiter? RateLimiter
    {
        get => _rateLimiter;
        set => _rateLimiter = value;
    }

    /// <summary>DNS Cookies (RFC 7873, RFC 9018); null ignores the COOKIE option, as a server without them would. A reload may swap it.</summary>
    public CookieJar? Cookies
    {
        get => _cookies;
        set => _cookies = value;
    }

    private volatile RateLimiter? _rateLimiter;
    private volatile CookieJar? _cookies;

    /// <summary>Queries by transport, type and reply code, and geo lookups; the transports add response times.</summary>
    public QueryMetrics Metrics { get; } = new();

    /// <summary>Writes the reply to <paramref name="query"/> into <paramref name="reply"/> and returns its length;
    /// 0 means stay silent. Over UDP the reply is cut to what the client can take (TC=1).
    /// <paramref name="client"/> is the sender's address (4 or 16 bytes), used when the query carries no ECS.
    /// <paramref name="tcpKeepalive"/> is the connection's idle timeout in units of 100 ms, told to TCP clients that ask (RFC 7828).
    /// <paramref name="reply"/> may start where <paramref name="query"/> does (answered in place): the query is read
    /// whole before the reply is written past its question.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit] // the two stack buffers are written before they are read: no need to zero them per query
    public int Respond(ReadOnlySpan<byte> query, Span<byte> reply, bool tcp, ReadOnlySpan<byte> client = default, ushort tcpKeepalive = 0)
    {
        Span<byte> key = stackalloc byte[DnsName.MaxWireLength];
        Span<byte> cookie = stackalloc byte[OptRecord.CookieReplyLength];
        var length = Answer(query, reply, tcp, client, key, cookie, tcp ? tcpKeepalive : (ushort)0, out var q, out var rcode, out var kind, out var subject, out var check);
        // A valid server cookie proves the source address is real (RFC 7873 §1): no reflection to limit.
        if (length > 0 && !tcp && check != CookieCheck.Valid && _rateLimiter is { } limiter)
        {
            switch (limiter.Decide(client, kind, subject))
            {
                case RateDecision.Drop:
                    (length, rcode) = (0, QueryLabels.Dropped);
                    break;
                case RateDecision.Slip when check is CookieCheck.ClientOnly or CookieCheck.Invalid:
                    // RFC 7873 §5.2.3: a client that speaks cookies is slipped a BADCOOKIE with its server cookie,
                    // so its retry over UDP carries the cookie and is exempt.
                    length = Error(query, q, reply, rcode = Rcode.BadCookie, new OptExtras(cookie, 0));
                    break;
                case RateDecision.Slip:
                    length = Slip(reply, Math.Min(length, q.QuestionEnd));
                    break;
            }
        }
        Metrics.CountQuery(tcp, q.Type, rcode);
        return length;
    }

    /// <summary>
    /// A limited reply cut to header and question with TC=1 (RRL "slip"): never larger than the query,
    /// so it amplifies nothing, and a real resolver behind a spoofed prefix retries over TCP.
    /// </summary>
    private static int Slip(Span<byte> reply, int questionEnd)
    {
        reply[2] |= 0x02;
        reply[6..12].Clear();
        return questionEnd;
    }

    /// <param name="kind">The answer class and <paramref name="subject"/> what it is about: the rate limiter's bucket.</param>
    /// <param name="cookie">Receives the reply's COOKIE data when <paramref name="check"/> says the query had a well-formed one.</param>
    private int Answer(ReadOnlySpan<byte> query, Span<byte> reply, bool tcp, ReadOnlySpan<byte> client, Span<byte> key, Span<byte> cookie, ushort keepalive, out Query q,
        out int rcode, out AnswerClass kind, out int subject, out CookieCheck check)
    {
        var status = QueryParser.Parse(query, key, out q);
        rcode = QueryLabels.Dropped;
        (kind, subject, check) = (AnswerClass.Error, 0, CookieCheck.None);
        if (status == QueryStatus.Drop) return 0;
        if (_exchange is not null && Diverts(status, q))
        {
            rcode = Rcode.NoError; // counted here; the exchange's own outcome is its business
            return Diverted;
        }
        if (status != QueryStatus.Ok) return HeaderOnly(q, reply, (byte)(rcode = status == QueryStatus.NotImp ? Rcode.NotImp : Rcode.FormErr));

        // RFC 7828 §3.2.1: a client sends edns-tcp-keepalive empty; over UDP the option means nothing.
        if (tcp && q.Keepalive == 2) return Error(query, q, reply, rcode = Rcode.FormErr, default);
        var extras = new OptExtras(default, q.Keepalive == 1 ? keepalive : (ushort)0);
        if (q.HasCookie && _cookies is { } jar)
        {
            var option = query.Slice(q.CookieOffset, q.CookieLength);
            check = jar.Check(option, client);
            if (check == CookieCheck.Malformed) return Error(query, q, reply, rcode = Rcode.FormErr, extras); // RFC 7873 §5.2.2
            // Every reply carries a fresh server cookie (RFC 9018 §4.3 allows it), so a busy resolver's never ages out.
            jar.Make(option, client, cookie);
            extras = new OptExtras(cookie, extras.Keepalive);
            // §5.2.4 leaves the choice to policy; over UDP we take BADCOOKIE (as Knot does): it is small, and the
            // client retries with the fresh cookie it carries. TCP needs no proof of address: answered as usual.
            if (check == CookieCheck.Invalid && !tcp) return Error(query, q, reply, rcode = Rcode.BadCookie, extras);
        }

        var limit = tcp ? reply.Length : q.HasOpt ? Math.Clamp((int)q.UdpPayload, ClassicUdpLimit, MaxUdpPayload) : ClassicUdpLimit;
        limit = Math.Min(limit, reply.Length);
        if (q.HasOpt && q.EdnsVersion > 0) return Error(query, q, reply, rcode = Rcode.BadVers, extras); // RFC 6891 §6.1.3
        if (q.Class is not (ResourceRecord.ClassIN or DnsType.ANY) || q.Type is DnsType.AXFR or DnsType.IXFR)
            return Error(query, q, reply, rcode = Rcode.Refused, extras);
        if (q.Type == DnsType.OPT) return HeaderOnly(q, reply, (byte)(rcode = Rcode.FormErr));

        var snapshot = _snapshot; // one snapshot per query, even on the DNAME path that reads it twice
        var table = snapshot.Table;
        var answer = Lookup(table, key[..q.NameLength], q.Type);
        if (answer is null) return Error(query, q, reply, rcode = Rcode.Refused, extras);
        // The prepared reply is the subject: one per name and type, one per wildcard, one NXDOMAIN per zone, one referral per cut.
        subject = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(answer);
        if (ReferenceEquals(answer, PreparedAnswer.Dynamic))
        {
            subject = AnswerTable.Hash(key[..q.NameLength]);
            answer = Rewrite(table, query, q);
        }
        kind = Classify(answer);
        // One NODATA reply serves many names of a zone (the build shares it by content): the subject is the name, as in BIND's RRL.
        if (kind == AnswerClass.Nodata) subject = AnswerTable.Hash(key[..q.NameLength]);
        byte scope = 0;
        if (answer.Geo is { } geo) answer = geo.Select(Locate(snapshot.Geo, q, client, out scope), ++t_turn);
        rcode = answer.Rcode;
        return Write(query, q, answer, reply, limit, scope, extras);
    }

    /// <summary>NOTIFY (RFC 1996) and UPDATE (RFC 2136) opcodes, transfer types, and anything TSIG-signed.</summary>
    private static bool Diverts(QueryStatus status, in Query q) =>
        status == QueryStatus.NotImp ? q.Opcode is 4 or 5 : status == QueryStatus.Ok && (q.Type is DnsType.AXFR or DnsType.IXFR || q.HasTsig);

    private static AnswerClass Classify(PreparedAnswer answer) => answer.Rcode switch
    {
        Rcode.NxDomain => AnswerClass.Nxdomain,
        not Rcode.NoError => AnswerClass.Error,
        _ when answer.Answers > 0 || answer.Geo is not null => AnswerClass.Positive,
        _ when !answer.Authoritative => AnswerClass.Referral,
        _ => AnswerClass.Nodata,
    };

    /// <summary>The client's location: from its ECS subnet (RFC 7871) when given, else from the sender's address.</summary>
    private GeoLocation Locate(GeoDatabase? database, in Query q, ReadOnlySpan<byte> client, out byte scope)
    {
        scope = 0;
        if (database is not { } geo) return default;
        var ecs = q.HasEcs ? ((ReadOnlySpan<byte>)q.EcsAddress)[..(q.EcsFamily == 1 ? 4 : 16)] : default;
        var location = ClientLocator.Locate(geo, ecs, q.EcsSourcePrefix, client, out scope);
        Metrics.CountGeoLookup(location.IsKnown);
        return location;
    }

    private static PreparedAnswer? Lookup(AnswerTable table, ReadOnlySpan<byte> name, ushort type)
    {
        if (table.Find(name) is { } exact) return exact.Exact.For(type);
        // Walk up to the closest encloser: each step drops the leftmost label.
        for (var offset = name[0] + 1; offset < name.Length; offset += name[offset] + 1)
            if (table.Find(name[offset..]) is { } encloser) return encloser.Below.For(type);
        return null;
    }

    private static PreparedAnswer Rewrite(AnswerTable table, ReadOnlySpan<byte> query, in Query q)
    {
        var name = DnsName.FromWire(query.Slice(Query.HeaderLength, q.NameLength));
        return AnswerRenderer.Render(table.Resolver!.Resolve(name, q.Type), name, q.Type, positionIndependent: false);
    }

    /// <param name="ecsScope">RFC 7871 §7.2.1: how much of the client's subnet the answer depended on; 0 = not at all.</param>
    private static int Write(ReadOnlySpan<byte> query, in Query q, PreparedAnswer answer, Span<byte> reply, int limit, byte ecsScope, in OptExtras extras)
    {
        var questionEnd = q.QuestionEnd;
        var opt = OptRecord.Size(q, extras);
        int tail = answer.Tail.Length, additionals = answer.Additionals;
        var truncated = false;
        if (questionEnd + tail + opt > limit)
        {
            // RFC 2181 §9: drop what is optional before truncating; referral glue is not optional (RFC 9471).
            if (!answer.AdditionalRequired && questionEnd + answer.TailWithoutAdditional + opt <= limit)
                (tail, additionals) = (answer.TailWithoutAdditional, 0);
            else
                (tail, additionals, truncated) = (0, 0, true);
        }
        WriteHeader(reply, q, answer.Rcode, answer.Authoritative, truncated);
        query[Query.HeaderLength..questionEnd].CopyTo(reply[Query.HeaderLength..]);
        var length = questionEnd;
        if (!truncated)
        {
            answer.Tail[..tail].CopyTo(reply[length..]);
            if (answer.Serial is { } serial && answer.SerialAt + 4 <= tail) BinaryPrimitives.WriteUInt32BigEndian(reply[(length + answer.SerialAt)..], serial.Value);
            length += tail;
            BinaryPrimitives.WriteUInt16BigEndian(reply[6..], answer.Answers);
            BinaryPrimitives.WriteUInt16BigEndian(reply[8..], answer.Authorities);
        }
        BinaryPrimitives.WriteUInt16BigEndian(reply[10..], (ushort)(additionals + (q.HasOpt ? 1 : 0)));
        if (q.HasOpt) length += OptRecord.Write(reply[length..], q, 0, ecsScope, extras);
        return length;
    }

    private static int Error(ReadOnlySpan<byte> query, in Query q, Span<byte> reply, int rcode, in OptExtras extras)
    {
        var questionEnd = q.QuestionEnd;
        WriteHeader(reply, q, (byte)(rcode & 0xF), authoritative: false, truncated: false);
        query[Query.HeaderLength..questionEnd].CopyTo(reply[Query.HeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(reply[10..], (ushort)(q.HasOpt ? 1 : 0));
        return q.HasOpt ? questionEnd + OptRecord.Write(reply[questionEnd..], q, (byte)(rcode >> 4), ecsScope: 0, extras) : questionEnd;
    }

    private static int HeaderOnly(in Query q, Span<byte> reply, byte rcode)
    {
        WriteHeader(reply, q, rcode, authoritative: false, truncated: false);
        reply[4] = reply[5] = 0;
        return Query.HeaderLength;
    }

    private static void WriteHeader(Span<byte> reply, in Query q, byte rcode, bool authoritative, bool truncated)
    {
        BinaryPrimitives.WriteUInt16BigEndian(reply, q.Id);
        // QR, the query's opcode and RD; AA for authoritative data; RA stays clear: we do not recurse.
        reply[2] = (byte)(0x80 | q.Flags | (authoritative ? 0x04 : 0) | (truncated ? 0x02 : 0));
        reply[3] = (byte)((q.CheckingDisabled ? 0x10 : 0) | rcode);
        reply[4] = 0;
        reply[5] = 1;
        reply[6] = reply[7] = reply[8] = reply[9] = reply[10] = reply[11] = 0;
    }
}
