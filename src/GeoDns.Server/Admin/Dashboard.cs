namespace GeoDns.Server.Admin;

/// <summary>
/// The dashboard: one self-contained page (no CDN, no build step) that polls /v1/pools and /v1/events
/// every 2 s and shows each edge address in its state's colour, and the days left on the certificate
/// an HTTPS probe saw (red below the pool's probe.certificateWarningDays). It holds no data itself, so it is
/// served without a token; from beyond loopback the user pastes the token, kept in sessionStorage only.
/// Everything from the server goes into the page as text nodes, never as HTML: edge names come from the API.
/// </summary>
public static class Dashboard
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>GeoDns</title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; background: #fafafa; }
          h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
          h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
          #status { color: #666; margin-bottom: 1rem; }
          #status.error { color: #c62828; font-weight: 600; }
          #login { display: none; margin-bottom: 1rem; }
          section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
          .meta { color: #555; margin-bottom: .5rem; }
          table { border-collapse: collapse; width: 100%; }
          th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
          th { font-weight: 600; color: #555; }
          .state { display: inline-block; min-width: 5.5em; text-align: center; padding: .1rem .5rem; border-radius: 1em; color: #fff; font-weight: 600; }
          .Up { background: #2e7d32; }
          .Suspect { background: #f9a825; color: #222; }
          .Down { background: #c62828; }
          .Unknown { background: #9e9e9e; }
          tr.drained td { background: repeating-linear-gradient(45deg, #f0f0f0, #f0f0f0 6px, #e0e0e0 6px, #e0e0e0 12px); color: #777; }
          tr.drained .state { background: #9e9e9e; color: #fff; }
          .alldown { background: #c62828; color: #fff; padding: .1rem .5rem; border-radius: 4px; margin-left: .5rem; }
          .muted { color: #888; }
          .cert { white-space: nowrap; }
          .cert.low { display: inline-block; background: #c62828; color: #fff; padding: .1rem .5rem; border-radius: 1em; font-weight: 600; }
        </style>
        </head>
        <body>
        <h1>GeoDns</h1>
        <div id="status">loading…</div>
        <div id="login">Admin token: <input id="token" type="password" size="40"> <button id="use">Use</button></div>
        <div id="pools"></div>
        <section><h2>Recent transitions</h2><table><thead><tr><th>At</th><th>Edges</th><th>Target</th><th>Change</th><th>Reason</th></tr></thead><tbody id="events"></tbody></table></section>
        <script>
        "use strict";
        const $ = id => document.getElementById(id);
        function el(tag, props, ...children) {
          const node = document.createElement(tag);
          Object.assign(node, props || {});
          for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
          return node;
        }
        const time = iso => iso ? new Date(iso).toLocaleTimeString() : "";
        const ago = iso => { if (!iso) return ""; const s = Math.round((Date.now() - new Date(iso)) / 1000); return s < 90 ? s + " s ago" : s < 5400 ? Math.round(s / 60) + " min ago" : Math.round(s / 3600) + " h ago"; };
        async function get(path) {
          const token = sessionStorage.getItem("geodns-token");
          const response = await fetch(path, { headers: token ? { Authorization: "Bearer " + token } : {} });
          if (response.status === 401) { $("login").style.display = "block"; throw new Error("the admin token is needed (401)"); }
          if (!response.ok) throw new Error(path + ": HTTP " + response.status);
          return response.json();
        }
        // Days left on the certificate an HTTPS probe saw; highlighted below the pool's certificateWarningDays (and when expired).
        function certificateCell(days, warnBelow) {
          const cell = el("td", {});
          if (days === null || days === undefined) return cell;
          const low = days < 0 || days < warnBelow;
          cell.dataset.certificateDays = days;
          cell.dataset.certificateLow = low;
          cell.append(el("span", { className: "cert" + (low ? " low" : ""), title: "certificate: warning below " + warnBelow + " days" },
            days < 0 ? "expired" : days + (days === 1 ? " day" : " days")));
          return cell;
        }
        function edgeRows(edge, warnBelow) {
          const overrideText = edge.drained ? "drained" + (edge.overrideReason ? ": " + edge.overrideReason : "")
            : edge.forced ? "forced " + edge.forced + (edge.overrideReason ? ": " + edge.overrideReason : "") : "";
          return edge.addresses.map((a, i) => {
            const shown = edge.drained ? "drained (" + a.effective + ")" : a.effective;
            const signal = a.passive ? a.passive.reason + " (holds " + Math.round(a.passive.secondsLeft) + " s more unless reported again)" : "";
            const row = el("tr", { className: edge.drained ? "drained" : "" },
              el("td", {}, i === 0 ? edge.name : ""),
              el("td", { className: "muted" }, i === 0 ? edge.source : ""),
              el("td", {}, a.address),
              el("td", {}, el("span", { className: "state " + a.effective, title: "probed: " + a.state }, shown)),
              el("td", {}, a.lastProbe ? (a.lastProbe.success ? a.lastProbe.latencyMs.toFixed(1) + " ms" : (a.lastProbe.error || "failed")) : ""),
              certificateCell(a.certificateDaysLeft, warnBelow),
              el("td", { title: a.since || "" }, ago(a.since)),
              el("td", {}, [overrideText, signal].filter(t => t).join("; ")),
              el("td", {}, a.inAnswers ? "yes" : "no"));
            row.dataset.edge = edge.name;
            row.dataset.address = a.address;
            row.dataset.state = a.effective;
            row.dataset.drained = edge.drained;
            return row;
          });
        }
        function renderPools(pools) {
          const sections = pools.map(pool => el("section", {},
            el("h2", {}, pool.name, pool.allDownNow ? el("span", { className: "alldown" }, "all down: answering by allDown=" + pool.allDown) : ""),
            el("div", { className: "meta" }, "TTL now " + pool.ttlNow + " s (steady " + pool.ttl + " s, degraded " + pool.degradedTtl + " s) · " + pool.answers + " per answer · " +
              pool.probeType + " probe on port " + pool.probePort + " every " + pool.probeIntervalSeconds + " s · worst-case exposure " + pool.exposureSeconds + " s"),
            el("div", { className: "meta ttl" }, pool.ttlReason),
            el("table", {},
              el("thead", {}, el("tr", {}, ...["Edge", "Source", "Address", "State", "Last probe", "Certificate", "Since", "Override", "In answers"].map(h => el("th", {}, h)))),
              el("tbody", {}, ...pool.edges.flatMap(edge => edgeRows(edge, pool.certificateWarningDays))))));
          $("pools").replaceChildren(...(sections.length ? sections : [el("section", { className: "muted" }, "No pools configured.")]));
        }
        function renderEvents(events) {
          $("events").replaceChildren(...events.map(e => el("tr", {},
            el("td", { title: e.at }, time(e.at)), el("td", {}, e.edges.join(", ")), el("td", { className: "muted" }, e.target),
            el("td", {}, el("span", { className: "state " + e.from }, e.from), " → ", el("span", { className: "state " + e.to }, e.to)),
            el("td", {}, e.reason))));
        }
        async function refresh() {
          try {
            const [pools, events] = await Promise.all([get("/v1/pools"), get("/v1/events?take=20")]);
            renderPools(pools);
            renderEvents(events);
            $("status").className = "";
            $("status").textContent = "updated " + new Date().toLocaleTimeString() + " · refreshes every 2 s";
          } catch (e) {
            $("status").className = "error";
            $("status").textContent = "cannot refresh: " + e.message;
          }
          setTimeout(refresh, 2000);
        }
        $("use").onclick = () => { sessionStorage.setItem("geodns-token", $("token").value); $("login").style.display = "none"; };
        refresh();
        </script>
        </body>
        </html>
        """;
}
