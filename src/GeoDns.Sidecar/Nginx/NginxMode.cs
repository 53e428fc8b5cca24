namespace GeoDns.Sidecar.Nginx;

/// <summary>Where TLS ends.</summary>
public enum NginxMode
{
    /// <summary>On the edge: it holds the certificate, limits request rates and adds X-Forwarded-* headers.</summary>
    Tls,

    /// <summary>At home: the edge forwards raw TCP with the PROXY protocol and holds no keys.</summary>
    Passthrough,
}
