#!/usr/bin/env python3
"""What a health change costs with a big zone, and how a storm of dead edges is handled.

  bench/publisher.py flap  [--records 100000] [--flaps 5] [--transfers off|on|both] [--baseline REV]
      One pool of three edges beside a zone of N records; one edge goes down and comes back FLAPS
      times (after one warm-up flap). Prints the server CPU per transition (idle probing and the bench's own
      polling subtracted), the part of it that is the publisher's thread,
      RSS and the managed heap (as the last collection left it) before and after, the allocations meanwhile, and the zone reload time and peak memory for N records. With --baseline,
      the same run follows on the server built from git revision REV, for a side-by-side figure. With --transfers on,
      the zone is transferred and NOTIFYed to a loopback secondary that pulls each change by IXFR (as the guide runs ns1
      and ns2), and the transfers it pulled are printed; both runs it off, then on.
  bench/publisher.py storm [--records 100000] [--pools 10] [--edges 100] [--kill 10]
      POOLS pools of EDGES edges; KILL edges of each pool die at once. Prints the seconds until
      every dead edge is out of the answers, healthy edges wrongly taken out, the seconds until all
      are back after the dead return, the worst /healthz latency throughout, threads, and how long
      SIGTERM takes.
  bench/publisher.py reload [--records 100000] [--rate 20000] [--reloads 3]
      dnsperf offers RATE queries/s for 15 s: once steady, then RELOADS times with a zone reload of N records
      in the middle (the second and later reloads are the ones that meet full collections). Prints lost queries, dnsperf's worst latency and the GC pause time of each run, and the
      collector's pauses over 10 ms and its longest (the server's pause histogram: the collector's share of the
      worst, apart from the machine's own, which the steady run shows), and the collector the server runs
      (geodns_gc_info). Run it with DOTNET_gcServer=0|1, DOTNET_GCHeapCount, DOTNET_gcConcurrent=0|1 to compare.

Everything is on loopback (127.0.20.0/24, 127.31-40.x.y); every wait is bounded; the server and
listeners it starts are stopped by PID at the end.
"""
import argparse, json, os, random, select, signal, socket, struct, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DNS_PORT, ADMIN_PORT, EDGE_PORT, NOTIFY_PORT = 5397, 18097, 18444, 5398
TOKEN = "bench-token-0123456789abcdef"


class Edges:
    """Listening TCP sockets standing for edges; close one to kill it (connections refused), open it again to revive it."""

    def __init__(self, addresses):
        self.socks, self.lock, self.stopping = {}, threading.Lock(), False
        for a in addresses: self.open(a)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def open(self, address):
        for attempt in range(50):  # a connection of the old listener may hold the port for a moment
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((address, EDGE_PORT)); break
            except OSError:
                s.close()
                if attempt == 49: raise
                time.sleep(0.1)
        s.listen(256); s.setblocking(False)
        with self.lock: self.socks[address] = s

    def close(self, address):
        with self.lock: self.socks.pop(address).close()

    def serve(self):
        while not self.stopping:
            with self.lock: ready = list(self.socks.values())
            try: readable, _, _ = select.select(ready, [], [], 0.05)
            except (OSError, ValueError): continue
            for s in readable:
                try: c, _ = s.accept(); c.close()
                except OSError: pass

    def stop(self):
        self.stopping = True
        self.thread.join(2)
        for a in list(self.socks): self.close(a)


def zone(records, directory):
    lines = ["$ORIGIN example.com.", "$TTL 300", "@ IN SOA ns1 hostmaster 1 3600 600 1209600 60", "  IN NS ns1", "ns1 IN A 127.0.0.1"]
    lines += [f"host{i} IN A 127.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}" for i in range(records)]
    path = os.path.join(directory, "zones", "example.com.zone")
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f: f.write("\n".join(lines) + "\n")
    return path


def start_server(work, pools, source=ROOT, **extra):
    config = {"listen": [f"127.0.0.1:{DNS_PORT}"], "admin": f"127.0.0.1:{ADMIN_PORT}", "adminToken": TOKEN, "pools": pools, **extra}
    with open(os.path.join(work, "geodns.json"), "w") as f: json.dump(config, f)
    binary = os.path.join(work, "bin", "GeoDns.Server")
    subprocess.run(["dotnet", "publish", os.path.join(source, "src/GeoDns.Server"), "-c", "Release", "-o", os.path.dirname(binary), "--nologo", "-v", "q"],
                   check=True, stdout=subprocess.DEVNULL)
    # The log goes below its own directory: a file written beside the config would wake the config watcher at every line.
    os.makedirs(os.path.join(work, "logs"), exist_ok=True)
    log = open(os.path.join(work, "logs", "server.log"), "w")
    started = time.monotonic()
    proc = subprocess.Popen([binary, "--zones", os.path.join(work, "zones"), "--config", os.path.join(work, "geodns.json"), "--data", os.path.join(work, "data")],
                            stdout=log, stderr=subprocess.STDOUT)
    for _ in range(1800):
        if healthz()[0] == 200: return proc, time.monotonic() - started
        if proc.poll() is not None: sys.exit(f"server exited: see {work}/logs/server.log")
        time.sleep(0.1)
    sys.exit("server not ready within 180 s")


def admin(path):
    request = urllib.request.Request(f"http://127.0.0.1:{ADMIN_PORT}{path}", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as r: return json.load(r)


def healthz():
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ADMIN_PORT}/healthz", timeout=10) as r: return r.status, time.monotonic() - started
    except Exception:
        return 0, time.monotonic() - started


def answered(pool):
    """The addresses the server answers for POOL now (asked over UDP, no ECS)."""
    name = b"".join(bytes([len(p)]) + p.encode() for p in pool.split(".")) + b"\0"
    query = struct.pack(">HHHHHH", 0x4242, 0, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
    try:
        s.sendto(query, ("127.0.0.1", DNS_PORT)); reply = s.recv(4096)
    except OSError:
        return set()
    finally:
        s.close()
    count, offset, found = struct.unpack(">H", reply[6:8])[0], 12 + len(name) + 4, set()
    for _ in range(count):
        offset += 2  # a compressed owner pointer
        rtype, _, _, length = struct.unpack(">HHIH", reply[offset:offset + 10]); offset += 10
        if rtype == 1: found.add(socket.inet_ntoa(reply[offset:offset + 4]))
        offset += length
    return found


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"): return int(line.split()[1])
    return 0


def jit_seconds():
    """The runtime's JIT time so far. Tiering recompiles a method after 30 calls, so code that runs once
    per probe round or per transition is still being compiled minutes after start: the figures give that
    warm-up apart from the work of a transition."""
    return metric("geodns_jit_seconds_total")


def publish_cpu():
    """CPU seconds the publisher's thread has spent applying health to pool slots (the routes lane)."""
    return metric('geodns_publish_cpu_seconds_total{lane="routes"}')


def scrape():
    """The server's /metrics, line by line."""
    request = urllib.request.Request(f"http://127.0.0.1:{ADMIN_PORT}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.read().decode().splitlines()


def metric(name, lines=None):
    """One sample of the server's /metrics, by its full name with labels (from LINES, one scrape, when given)."""
    return next((float(l.split()[1]) for l in lines or scrape() if l.startswith(name + " ")), 0.0)


def collector():
    """The server's collector as /metrics reports it: the labels of geodns_gc_info (mode, concurrent, heaps)."""
    line = next((l for l in scrape() if l.startswith("geodns_gc_info{")), "{}")
    return " ".join("gc_" + p.replace('"', "") for p in line[line.find("{") + 1:line.find("}")].split(",") if "=" in p)


def until(condition, limit):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if condition(): return time.monotonic() - started
        time.sleep(0.05)
    return None


def stop(proc):
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try: proc.wait(30)
    except subprocess.TimeoutExpired: proc.kill(); proc.wait()
    return time.monotonic() - started


class Secondary:
    """A loopback secondary, as ns2 runs: it acknowledges each NOTIFY (so the primary stops retrying) and then pulls
    the zone over TCP, by IXFR from the serial it holds (AXFR on first contact), as a real secondary would, so the
    primary's figures include serving the transfers. NOTIFYs that come during a transfer are one more transfer after it."""

    def __init__(self, zone="example.com"):
        self.zone = zone
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", NOTIFY_PORT)); self.sock.settimeout(0.2)
        self.notifies, self.stopping, self.serial = 0, False, None
        self.pulled = {"IXFR": 0, "AXFR": 0, "current": 0, "failed": 0}
        self.wanted = threading.Event()
        self.threads = [threading.Thread(target=self.serve, daemon=True), threading.Thread(target=self.pull_loop, daemon=True)]
        for t in self.threads: t.start()

    def serve(self):
        while not self.stopping:
            try: data, peer = self.sock.recvfrom(4096)
            except OSError: continue
            if len(data) < 12 or data[2] & 0x80: continue
            self.notifies += 1
            self.sock.sendto(data[:2] + bytes([data[2] | 0x80, data[3] & 0xF0]) + data[4:], peer)
            self.wanted.set()

    def pull_loop(self):
        while not self.stopping:
            if not self.wanted.wait(0.2): continue
            self.wanted.clear()
            try: self.pull()
            except (OSError, ValueError, struct.error): self.pulled["failed"] += 1

    def pull(self):
        """One transfer: IXFR from our serial (RFC 1995: our SOA in the authority section), or AXFR with none."""
        origin = b"".join(bytes([len(p)]) + p.encode() for p in self.zone.split(".")) + b"\0"
        if self.serial is None:
            kind, query = "AXFR", struct.pack(">HHHHHH", 0x5858, 0, 1, 0, 0, 0) + origin + struct.pack(">HH", 252, 1)
        else:
            # Root names for MNAME and RNAME: the primary reads only the serial.
            soa = b"\0\0" + struct.pack(">IIIII", self.serial, 0, 0, 0, 0)
            kind = "IXFR"
            query = (struct.pack(">HHHHHH", 0x5858, 0, 1, 0, 1, 0) + origin + struct.pack(">HH", 251, 1)
                     + origin + struct.pack(">HHIH", 6, 1, 0, len(soa)) + soa)
        with socket.create_connection(("127.0.0.1", DNS_PORT), timeout=30) as c:
            c.sendall(struct.pack(">H", len(query)) + query)
            newest, soas, records, section = None, 0, 0, None
            while True:
                message = read_framed(c)
                if message[3] & 0xF: raise ValueError(f"{kind} answered rcode {message[3] & 0xF}")
                for rtype, serial in answer_records(message):
                    records += 1
                    if newest is None:
                        newest = serial  # the first record is the zone's SOA now
                        if kind == "IXFR" and serial == self.serial:
                            self.pulled["current"] += 1
                            return
                        continue
                    if records == 2:
                        # A second SOA starts the first step of an incremental reply (its deletions); anything else is the whole zone.
                        section = "deleted" if rtype == 6 else "whole"
                        continue
                    if rtype != 6: continue
                    # The whole zone ends at its SOA again; an incremental reply at the newest SOA after a step's additions.
                    if section == "whole" or (section == "added" and serial == newest):
                        self.serial = newest
                        self.pulled["AXFR" if section == "whole" else "IXFR"] += 1
                        return
                    section = "added" if section == "deleted" else "deleted"

    def stop(self):
        self.stopping = True
        for t in self.threads: t.join(2)
        self.sock.close()


def read_framed(c):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = c.recv(n - len(data))
            if not chunk: raise ValueError("the primary closed the transfer")
            data += chunk
        return data
    return exactly(struct.unpack(">H", exactly(2))[0])


def skip_name(message, offset):
    while True:
        length = message[offset]
        if length == 0: return offset + 1
        if length & 0xC0: return offset + 2  # a compression pointer ends the name
        offset += 1 + length


def answer_records(message):
    """Each answer record of MESSAGE as (type, serial): the serial of an SOA, else None."""
    questions, answers = struct.unpack(">HH", message[4:8])
    offset = 12
    for _ in range(questions): offset = skip_name(message, offset) + 4
    for _ in range(answers):
        offset = skip_name(message, offset)
        rtype, _, _, length = struct.unpack(">HHIH", message[offset:offset + 10]); offset += 10
        serial = None
        if rtype == 6:
            at = skip_name(message, skip_name(message, offset))
            serial = struct.unpack(">I", message[at:at + 4])[0]
        yield rtype, serial
        offset += length


def flap(args, work, source=ROOT):
    if args.transfers == "both":
        runs = {}
        for transfers in ("off", "on"):
            print(f"# transfers {transfers}")
            os.makedirs(os.path.join(work, transfers))
            runs[transfers] = flap(argparse.Namespace(**{**vars(args), "transfers": transfers}), os.path.join(work, transfers), source)
        off, on = runs["off"], runs["on"]
        print("# side by side: the same flaps without and with the zone NOTIFYed and pulled by the secondary (target with: <= 60 ms, < 32 MiB)")
        print(f"figure all_in_cpu_ms_per_transition off={off['all_in_ms']:.1f} on={on['all_in_ms']:.1f} ratio={on['all_in_ms'] / off['all_in_ms']:.2f}")
        print(f"figure rss_growth_mib off={off['growth_mib']:.0f} on={on['growth_mib']:.0f}  # over {args.flaps} flaps")
        print(f"figure idle_cpu_ms_per_s off={off['idle_ms_per_s']:.1f} on={on['idle_ms_per_s']:.1f}")
        return runs
    zone_path = zone(args.records, work)
    addresses = ["127.0.20.11", "127.0.20.12", "127.0.20.13"]
    edges = Edges(addresses)
    pool = {"name": "app.example.com", "probe": {"port": EDGE_PORT}, "edges": [{"name": f"edge-{i}", "ipv4": a} for i, a in enumerate(addresses)]}
    # As the deployment guide runs ns1 and ns2: the zone transferred to a secondary that is NOTIFYed of each change and pulls it.
    secondary = Secondary() if args.transfers == "on" else None
    extra = {"exchange": {"transfers": [{"zone": "example.com", "allowFrom": ["127.0.0.0/8"], "notify": [f"127.0.0.1:{NOTIFY_PORT}"]}]}} if secondary else {}
    proc, start_s = start_server(work, [pool], source, **extra)
    try:
        print(f"figure start_s={start_s:.2f}  # {args.records} records: process start to /healthz 200")
        until(lambda: answered("app.example.com") == set(addresses), 30)
        # One flap first, not counted: the code paths it takes are compiled (JIT) before we measure.
        edges.close(addresses[1]); until(lambda: addresses[1] not in answered("app.example.com"), 30)
        edges.open(addresses[1]); until(lambda: addresses[1] in answered("app.example.com"), 30)
        time.sleep(2)
        # Each flap is followed by an idle window as long as it, asking for the pool as often (every 50 ms): an isolated
        # query costs this VM's server ~0.2 ms of CPU (waking its thread), and that is the observer's cost, as is the
        # probing of healthy edges. Interleaved, slow drifts of the machine cancel too.
        rss_before = status(proc.pid, "VmRSS")
        outs, backs, cpu, jit, publish, flapping = [], [], 0.0, 0.0, 0.0, 0.0
        gc_before, publishes_before = metric("geodns_gc_pause_seconds_total"), metric('geodns_publishes_total{lane="routes"}')
        collections_before = metric('geodns_gc_collections_total{generation="0"}')
        heap_before, allocated_before = metric("geodns_gc_heap_bytes"), metric("geodns_gc_allocated_bytes_total")
        idle = {"seconds": 0.0, "cpu": 0.0, "publish": 0.0}
        for _ in range(args.flaps):
            t0, c0, j0, p0 = time.monotonic(), cpu_seconds(proc.pid), jit_seconds(), publish_cpu()
            edges.close(addresses[1])
            outs.append(until(lambda: addresses[1] not in answered("app.example.com"), 30))
            edges.open(addresses[1])
            backs.append(until(lambda: addresses[1] in answered("app.example.com"), 30))
            flap_seconds = time.monotonic() - t0
            flapping += flap_seconds
            cpu, jit, publish = cpu + cpu_seconds(proc.pid) - c0, jit + jit_seconds() - j0, publish + publish_cpu() - p0
            t0, c0, p0 = time.monotonic(), cpu_seconds(proc.pid), publish_cpu()
            until(lambda: not answered("app.example.com"), flap_seconds)
            idle["seconds"] += time.monotonic() - t0
            idle["cpu"] += cpu_seconds(proc.pid) - c0
            idle["publish"] += publish_cpu() - p0
        # Everything the flaps cost, their idle windows included: work that spills past a flap (a rebuild still running)
        # lands in the window after it, where subtracting an idle rate would hide it.
        all_in = (cpu + idle["cpu"]) / (2 * args.flaps)
        idle_rate = idle["cpu"] / idle["seconds"]
        cpu -= idle_rate * flapping
        publish -= idle["publish"] / idle["seconds"] * flapping
        gc_pause = metric("geodns_gc_pause_seconds_total") - gc_before
        publishes = metric('geodns_publishes_total{lane="routes"}') - publishes_before
        collections = metric('geodns_gc_collections_total{generation="0"}') - collections_before
        heap_after, allocated = metric("geodns_gc_heap_bytes"), metric("geodns_gc_allocated_bytes_total") - allocated_before
        time.sleep(2)
        rss_after = status(proc.pid, "VmRSS")
        print(f"figure idle_cpu_ms_per_s={idle_rate * 1000:.1f}")
        print(f"figure out_s={','.join(f'{o:.1f}' if o else 'never' for o in outs)}")
        print(f"figure back_s={','.join(f'{b:.1f}' if b else 'never' for b in backs)}")
        print(f"figure cpu_ms_per_transition={cpu * 1000 / (2 * args.flaps):.1f}  # target <= 20")
        print(f"figure all_in_cpu_ms_per_transition={all_in * 1000:.1f}  # flaps and idle windows together, nothing subtracted")
        print(f"figure jit_ms_per_transition={jit * 1000 / (2 * args.flaps):.1f}  # of which the JIT's warm-up (tiering)")
        print(f"figure work_ms_per_transition={(cpu - jit) * 1000 / (2 * args.flaps):.1f}  # the rest")
        print(f"figure publish_ms_per_transition={publish * 1000 / (2 * args.flaps):.2f}  # of the rest, the publisher's own thread CPU (routes lane)")
        print(f"figure routes_publishes={publishes:.0f} collections={collections:.0f} gc_pause_ms={gc_pause * 1000:.0f}  # during the flaps and their idle windows")
        print(f"figure rss_mib_before={rss_before / 1024:.0f} rss_mib_after={rss_after / 1024:.0f} growth_mib={(rss_after - rss_before) / 1024:.0f}")
        print(f"figure heap_mib_before={heap_before / 2**20:.1f} heap_mib_after={heap_after / 2**20:.1f} allocated_mib={allocated / 2**20:.1f}"
              f"  # the managed heap as the last collection left it (memory kept), and the allocations meanwhile (RSS grows by those until a collection)")
        # A zone reload of N records: edit the serial, time until it is answered, note the peak memory.
        text = open(zone_path).read().replace("hostmaster 1 ", "hostmaster 2 ", 1)
        # Timed by the zone's load time moving (with transfers the serial shown is the served one, not the file's).
        loaded = {z["origin"]: z["loadedAt"] for z in admin("/v1/zones")["zones"]}
        hwm_before, started = status(proc.pid, "VmHWM"), time.monotonic()
        with open(zone_path + ".tmp", "w") as f: f.write(text)
        os.replace(zone_path + ".tmp", zone_path)
        reloaded = until(lambda: any(z["loadedAt"] != loaded.get(z["origin"]) for z in admin("/v1/zones")["zones"]), 60)
        print(f"figure reload_s={f'{reloaded:.2f}' if reloaded is not None else 'not within 60 s'}  # includes the watcher's 0.3 s debounce")
        print(f"figure peak_rss_mib={max(status(proc.pid, 'VmHWM'), hwm_before) / 1024:.0f}")
        if secondary:
            print(f"figure notifies={secondary.notifies}  # NOTIFYs the secondary got (each change's serial is announced)")
            pulled = secondary.pulled
            print(f"figure transfers={pulled['IXFR'] + pulled['AXFR']} ixfr={pulled['IXFR']} axfr={pulled['AXFR']} already_current={pulled['current']} failed={pulled['failed']}"
                  f"  # what the secondary pulled after the NOTIFYs (AXFR on first contact, then IXFR from its serial)")
        return {"all_in_ms": all_in * 1000, "growth_mib": (rss_after - rss_before) / 1024, "idle_ms_per_s": idle_rate * 1000}
    finally:
        print(f"figure sigterm_s={stop(proc):.2f}")
        edges.stop()
        if secondary: secondary.stop()


def storm(args, work, source=ROOT):
    zone(args.records, work)
    pools, everyone = [], []
    for p in range(args.pools):
        addresses = [f"127.{31 + p}.{e // 250}.{e % 250 + 1}" for e in range(args.edges)]
        everyone += [(p, a) for a in addresses]
        pools.append({"name": f"p{p}.example.com", "answers": 2, "probe": {"port": EDGE_PORT},
                      "edges": [{"name": f"p{p}-e{e}", "ipv4": a} for e, a in enumerate(addresses)]})
    edges = Edges([a for _, a in everyone])
    proc, start_s = start_server(work, pools, source)
    try:
        print(f"figure start_s={start_s:.2f}  # {args.records} records, {len(everyone)} edges")
        in_answers = lambda: {e["name"] for e in admin("/v1/edges") if e["inAnswers"]}
        names = {a: f"p{p}-e{int(i)}" for (p, a), i in zip(everyone, [n % args.edges for n in range(len(everyone))])}
        if until(lambda: len(in_answers()) == len(everyone), 60) is None: print("warning: not every edge came Up within 60 s")
        victims = [a for p in range(args.pools) for a in random.sample([a for q, a in everyone if q == p], args.kill)]
        dead = {names[a] for a in victims}
        healthy = {names[a] for _, a in everyone} - dead
        worst_healthz, wrongly_out, out_s = 0.0, set(), None
        started = time.monotonic()
        for a in victims: edges.close(a)
        while time.monotonic() - started < 30:
            code, latency = healthz()
            worst_healthz = max(worst_healthz, latency)
            now_in = in_answers()
            wrongly_out |= healthy - now_in
            if out_s is None and not (dead & now_in): out_s = time.monotonic() - started
            time.sleep(0.2)
        threads = status(proc.pid, "Threads")
        for a in victims: edges.open(a)
        started = time.monotonic()
        back_s = until(lambda: len(in_answers()) == len(everyone), 60)
        for _ in range(10): worst_healthz = max(worst_healthz, healthz()[1])
        print(f"figure dead_out_s={out_s if out_s is None else round(out_s, 1)}  # target <= 10")
        print(f"figure healthy_taken_out={len(wrongly_out)}  # target 0")
        print(f"figure back_s={back_s if back_s is None else round(back_s, 1)}  # target <= 15")
        print(f"figure worst_healthz_ms={worst_healthz * 1000:.0f}  # target < 100")
        print(f"figure threads={threads}")
    finally:
        print(f"figure sigterm_s={stop(proc):.2f}  # target <= 5")
        edges.stop()


def reload(args, work, source=ROOT):
    """A zone reload of N records while dnsperf asks RATE queries/s: lost queries, worst latency, GC pauses."""
    zone_path = zone(args.records, work)
    addresses = ["127.0.20.11", "127.0.20.12", "127.0.20.13"]
    edges = Edges(addresses)
    pool = {"name": "app.example.com", "probe": {"port": EDGE_PORT}, "edges": [{"name": f"edge-{i}", "ipv4": a} for i, a in enumerate(addresses)]}
    # dnsperf is one client far over any RRL rate: log-only, so every bucket is charged and nothing dropped.
    proc, _ = start_server(work, [pool], source, rrl={"logOnly": True})
    queries = os.path.join(work, "queries.txt")
    rng = random.Random(7)
    with open(queries, "w") as f:
        f.writelines(f"host{rng.randrange(args.records)}.example.com A\n" if i % 4 else "app.example.com A\n" for i in range(10000))
    try:
        until(lambda: answered("app.example.com") == set(addresses), 30)
        def run(seconds, during=None):
            perf = subprocess.Popen(["dnsperf", "-s", "127.0.0.1", "-p", str(DNS_PORT), "-d", queries, "-l", str(seconds), "-Q", str(args.rate), "-c", "4", "-t", "1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            gc_before, long_before = metric("geodns_gc_pause_seconds_total"), long_pauses()
            if during: time.sleep(seconds / 3); during()
            out, _ = perf.communicate(timeout=seconds + 30)
            lost = next((l.split()[2] for l in out.splitlines() if "Queries lost" in l), "?")
            # "Average Latency (s):  0.000087 (min 0.000013, max 0.004583)"
            worst = next((l.split("max ")[1].rstrip(")").strip() for l in out.splitlines() if "Average Latency" in l and "max " in l), "?")
            return lost, worst, metric("geodns_gc_pause_seconds_total") - gc_before, gcs(), long_pauses() - long_before
        def long_pauses():
            """Collector pauses over 10 ms since start (the server's histogram)."""
            return metric('geodns_gc_pause_duration_seconds_count') - metric('geodns_gc_pause_duration_seconds_bucket{le="0.01"}')
        def gcs():
            return [metric(f'geodns_gc_collections_total{{generation="{g}"}}') for g in range(3)]
        run(5)  # warm-up
        lost, worst, pause, _, _ = run(15)
        print(f"figure steady_lost={lost} steady_worst_latency_s={worst} steady_gc_pause_ms={pause * 1000:.0f}  # {args.rate} queries/s, no reload: the machine's own worst")
        bounds = ["0.001", "0.005", "0.01", "0.02", "0.05", "0.1", "0.5", "+Inf"]
        def histogram():
            lines = scrape()
            return [metric(f'geodns_gc_pause_duration_seconds_bucket{{le="{b}"}}', lines) for b in bounds]
        longests, losts = [], []
        for n in range(2, args.reloads + 2):
            def edit():
                text = open(zone_path).read().replace(f"hostmaster {n - 1} ", f"hostmaster {n} ", 1)
                with open(zone_path + ".tmp", "w") as f: f.write(text)
                os.replace(zone_path + ".tmp", zone_path)
            before, buckets = gcs(), histogram()
            lost, worst, pause, after, long = run(15, edit)
            serial = until(lambda: any(z["serial"] == n for z in admin("/v1/zones")["zones"]), 30) is not None
            # The longest pause of this run, as the histogram bounds it: the first bound that holds all its pauses.
            grown = [a - b for a, b in zip(histogram(), buckets)]
            longest = next(b for b, g in zip(bounds, grown) if g == grown[-1])
            longests.append(longest); losts.append(int(lost) if lost.isdigit() else 0)
            print(f"figure reload={n - 1} reload_lost={lost} reload_worst_latency_s={worst} reload_gc_pause_ms={pause * 1000:.0f} reloaded={serial}  # targets: 0 lost, < 0.020 s")
            print(f"figure reload={n - 1} reload_pauses_over_10ms={long:.0f} longest_pause_le_s={longest} gcs={'/'.join(str(int(a - b)) for a, b in zip(after, before))}  # the collector's share of the worst; collections of gen 0/1/2")
        print(f"figure reloads_longest_pause_within_20ms={sum(1 for l in longests if l != '+Inf' and float(l) <= 0.02)}/{len(longests)} "
              f"worst_reload_longest_pause_le_s={max(longests, key=bounds.index)} reloads_lost={sum(losts)}")
        print(f"figure longest_pause_ms={metric('geodns_gc_pause_longest_seconds') * 1000:.1f}  # since start, start-up included")
        print(f"figure {collector()}  # the server's collector (geodns_gc_info; DOTNET_gcServer, DOTNET_GCHeapCount ... change it)")
    finally:
        stop(proc)
        edges.stop()


MODES = {"flap": flap, "storm": storm, "reload": reload}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["flap", "storm", "reload"])
    parser.add_argument("--rate", type=int, default=20_000, help="reload: queries/s offered meanwhile")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--flaps", type=int, default=5)
    parser.add_argument("--reloads", type=int, default=3, help="reload: zone reloads, one after another, each in its own dnsperf run")
    parser.add_argument("--pools", type=int, default=10)
    parser.add_argument("--edges", type=int, default=100)
    parser.add_argument("--kill", type=int, default=10)
    parser.add_argument("--baseline", help="git revision to run the same measurement on afterwards, side by side")
    parser.add_argument("--transfers", choices=["off", "on", "both"], default="off",
                        help="flap: the zone transferred and NOTIFYed to a (loopback) secondary that pulls each change, as the guide runs ns1 and ns2; both: off then on, side by side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        MODES[args.mode](args, work)
    if args.baseline:
        with tempfile.TemporaryDirectory() as work:
            source = os.path.join(work, "source")
            subprocess.run(["git", "-C", ROOT, "worktree", "add", "-q", "--detach", source, args.baseline], check=True)
            try:
                print(f"# baseline: {args.baseline}")
                run = os.path.join(work, "run")
                os.makedirs(run)
                MODES[args.mode](args, run, source)
            finally:
                subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", source], check=False)


if __name__ == "__main__":
    main()
