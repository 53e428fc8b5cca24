namespace GeoDns.Sidecar.Reports;

/// <summary>How <c>bootstrap</c> ended.</summary>
public enum BootstrapResult
{
    /// <summary>Every serving edge is Up on every nameserver.</summary>
    Up,

    /// <summary>Provisioned and added, but TLS edges cannot come Up before certbot's deploy hook installs a certificate.</summary>
    AwaitingCertificate,

    /// <summary>A step failed; running bootstrap again finishes the job (every step is idempotent).</summary>
    Failed,
}
