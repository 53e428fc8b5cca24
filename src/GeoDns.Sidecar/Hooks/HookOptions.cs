namespace GeoDns.Sidecar.Hooks;

/// <summary>The user's provider hooks: command lines run with <c>/bin/sh -c</c>.</summary>
public sealed class HookOptions
{
    /// <summary>Creates (or, when one named $EDGE_NAME exists already, finds) a VPS; prints its JSON on stdout.</summary>
    public string Create { get; set; } = "";

    /// <summary>Installs $EDGE_WG_CONF and $EDGE_NGINX_CONF on the VPS at $EDGE_IPV4 and starts both.</summary>
    public string Provision { get; set; } = "";

    /// <summary>Deletes the VPS $EDGE_NAME; succeeds when it is gone already.</summary>
    public string Destroy { get; set; } = "";

    /// <summary>One run of a hook is killed after this long (and retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Extra variables for every hook, e.g. the provider's region or API token file.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];
}
