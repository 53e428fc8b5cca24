namespace GeoDns.Sidecar.Tests;

/// <summary>
/// Stand-ins for what the provider hooks call, first on PATH: <c>hcloud</c>, <c>doctl</c>,
/// <c>vultr-cli</c> and <c>oci</c> (ProviderFakes/) keep the VPS they made in files and answer in
/// the JSON shapes the real CLIs print; <c>ssh-keyscan</c> offers the VPS's host key;
/// <c>ssh</c> and <c>scp</c> check the host key as OpenSSH does with the options given (alias,
/// known_hosts file, strict checking) and refuse addresses listed as unreachable. Each records its
/// arguments, one call a line, tab-separated.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // bash fakes and file modes
public sealed class FakeEdgeShell
{
    private const string Record = """
        record() { { printf '%s' "$(basename "$0")"; for a in "$@"; do a=${a//$'\n'/\\n}; printf '\t%s' "$a"; done; printf '\n'; } >>"$FAKE_DIR/calls"; }
        record "$@"
        """;

    // Parses ssh's options as OpenSSH does (the first value of an option wins), then checks the
    // key the "server" offers ($FAKE_HOST_KEY) against the known_hosts line for the alias.
    private const string Connect = """
        declare -A opt=()
        positional=()
        while [ $# -gt 0 ]; do
          case $1 in
            -o) k=${2%%=*}; [ -n "${opt[$k]:-}" ] || opt[$k]=${2#*=}; shift 2 ;;
            -*) shift ;;
            *) positional+=("$1"); shift ;;
          esac
        done
        host_of() { local h=${1#*@}; echo "${h%%:*}"; }
        check() {
          local host; host=$(host_of "$1")
          if grep -qxF "$host" "$FAKE_DIR/unreachable" 2>/dev/null; then echo "ssh: connect to host $host port 22: Connection timed out" >&2; exit 255; fi
          local alias=${opt[HostKeyAlias]:-$host} file=${opt[UserKnownHostsFile]:-$HOME/.ssh/known_hosts}
          local pinned; pinned=$(awk -v n="$alias" '$1 == n { print $3 }' "$file" 2>/dev/null)
          if [ "${opt[StrictHostKeyChecking]:-ask}" != yes ]; then echo "fake ssh: only strict host key checking here" >&2; exit 255; fi
          if [ -z "$pinned" ]; then echo "No ED25519 host key is known for $alias and you have requested strict checking." >&2; echo "Host key verification failed." >&2; exit 255; fi
          if [ "$pinned" != "$FAKE_HOST_KEY" ]; then echo "WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!" >&2; echo "Host key verification failed." >&2; exit 255; fi
        }
        """;

    // What the provider fakes share: their state, reading an option, ids, and which VPS exist.
    private const string Provider = """
        state=$FAKE_DIR/vps
        mkdir -p "$state" "$FAKE_DIR/alive"
        opt() { local name=$1; shift; while [ $# -gt 0 ]; do case $1 in "$name") echo "${2:-}"; return ;; "$name="*) echo "${1#*=}"; return ;; esac; shift; done; }
        next_id() { local n; n=$(($(cat "$FAKE_DIR/next_id" 2>/dev/null || echo 4711) + 1)); echo "$n" >"$FAKE_DIR/next_id"; echo "$n"; }
        alive() { touch "$FAKE_DIR/alive/$1"; }
        gone() { rm -f "$FAKE_DIR/alive/$1"; }
        """;

    /// <summary>The provider CLIs faked here, one for each hook set.</summary>
    public static readonly string[] Providers = ["hcloud", "doctl", "vultr-cli", "oci"];

    public FakeEdgeShell(Scratch scratch)
    {
        Directory = scratch["fake"];
        Bin = Path.Combine(Directory, "bin");
        System.IO.Directory.CreateDirectory(Bin);
        Write("ssh", Connect + "\n" + """
            check "${positional[0]}"
            case "${positional[*]:1}" in
              *ssl_certificate*) echo /etc/letsencrypt/live/app.example.com ;;
            esac
            """);
        Write("scp", Connect + "\n" + """
            check "${positional[-1]}"
            """);
        Write("ssh-keyscan", """
            host=${!#}
            grep -qxF "$host" "$FAKE_DIR/unreachable" 2>/dev/null && exit 1
            echo "# $host:22 SSH-2.0-OpenSSH_9.2p1 Debian-2" >&2
            echo "$host ssh-ed25519 $FAKE_HOST_KEY"
            """);
        // The provider CLIs, from ProviderFakes/: they keep the VPS they made in $FAKE_DIR/vps and
        // answer in the JSON shapes of the real CLIs.
        foreach (var cli in Providers) Write(cli, Provider + "\n" + File.ReadAllText(Repository.File($"tests/GeoDns.Sidecar.Tests/ProviderFakes/{cli}.sh")));
        // A fresh server boots at once here.
        Write("sleep", "exit 0");
    }

    public string Directory { get; }
    public string Bin { get; }

    /// <summary>The host key the (one) VPS offers.</summary>
    public string HostKey { get; set; } = "AAAAC3NzaC1lZDI1NTE5AAAAIFirstVpsKey";

    /// <summary>The public IPv4 address the provider gives the VPS.</summary>
    public string Ipv4 { get; set; } = "203.0.113.7";

    /// <summary>The provider holds a VPS by this name (made, not yet deleted or terminated).</summary>
    public bool Exists(string name) => File.Exists(Path.Combine(Directory, "alive", name));

    /// <summary>Addresses ssh cannot reach (a tunnel not up yet, a public port closed).</summary>
    public void Unreachable(params string[] addresses) => File.WriteAllLines(Path.Combine(Directory, "unreachable"), addresses);

    /// <summary>The environment for a hook: the fakes first on PATH, and <paramref name="more"/>.</summary>
    public Dictionary<string, string> Environment(Dictionary<string, string> more)
    {
        more["PATH"] = $"{Bin}:{System.Environment.GetEnvironmentVariable("PATH")}";
        // A real CLI found after all would find no configuration or credentials here.
        more["HOME"] = Path.Combine(Directory, "home");
        more["FAKE_DIR"] = Directory;
        more["FAKE_HOST_KEY"] = HostKey;
        more["FAKE_IPV4"] = Ipv4;
        return more;
    }

    /// <summary>Every call so far, as program and arguments; taken away, so the next read sees only later calls.</summary>
    public List<string[]> TakeCalls()
    {
        var path = Path.Combine(Directory, "calls");
        if (!File.Exists(path)) return [];
        var calls = File.ReadAllLines(path).Select(l => l.Split('\t')).ToList();
        File.Delete(path);
        return calls;
    }

    private void Write(string name, string body)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\nset -u\n" + Record + "\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
