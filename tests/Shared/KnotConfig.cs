namespace GeoDns.Testing;

/// <summary>The knot.conf of a real knotd in a test: on a loopback port, in a temp directory of its own, with one TSIG key.</summary>
public static class KnotConfig
{
    /// <summary>Makes DIRECTORY and writes its knot.conf: the server, its log and storage and the key, then <paramref name="rest"/> (remotes, ACLs, zones). Returns its path.</summary>
    public static string Write(string directory, int port, string keyName, string secret, string rest)
    {
        Directory.CreateDirectory(Path.Combine(directory, "db"));
        var config = Path.Combine(directory, "knot.conf");
        File.WriteAllText(config, $"""
            server:
                rundir: "{directory}"
                listen: 127.0.0.1@{port}
            log:
              - target: stderr
                any: info
            database:
                storage: "{directory}/db"
            key:
              - id: {keyName}
                algorithm: hmac-sha256
                secret: {secret}

            """ + rest);
        return config;
    }
}
