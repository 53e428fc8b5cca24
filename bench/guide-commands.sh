#!/usr/bin/env bash
# How many commands a reader types to follow a guide: the lines of its fenced sh/bash blocks in the
# numbered sections ("## N. Title") not marked optional (no "(optional" in the title, the rule of
# LabFollowsTheGuideTests). Blank lines and comment lines do not count; a line continued with `\`, a
# string whose quotes span lines, and a heredoc with its body and its end marker count as one
# command. Other blocks (JSON, zone files, output) are files or text, not commands.
#
# Usage: bench/guide-commands.sh [-v] [PAGE]   (default docs/deployment.md; -v: the count of each section)
set -euo pipefail
verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
root=$(cd "$(dirname "$0")/.." && pwd)
page=${1:-$root/docs/deployment.md}
[ -f "$page" ] || { echo "guide-commands.sh: no such page: $page" >&2; exit 2; }

awk -v verbose="$verbose" -v page="${page#"$root"/}" '
  # open_quote: the quote still open at the end of LINE, given the one open at its start ("" if none).
  function open_quote(line, q,    i, c) {
    for (i = 1; i <= length(line); i++) {
      c = substr(line, i, 1)
      if (q == "\x27") { if (c == "\x27") q = ""; continue }
      if (q == "\"") { if (c == "\\") i++; else if (c == "\"") q = ""; continue }
      if (c == "\\") { i++; continue }
      if (c == "#" && (i == 1 || substr(line, i - 1, 1) ~ /[ \t]/)) break
      if (c == "\x27" || c == "\"") q = c
    }
    return q
  }
  function flush() {
    if (title != "" && verbose) printf "%4d  %s\n", n, title
    total += n
  }
  !fence && /^## / {
    flush()
    n = 0
    title = ($0 ~ /^## [0-9]+\. / && $0 !~ /\(optional/) ? substr($0, 4) : ""
    next
  }
  /^[ \t]*```/ {
    if (!fence) { fence = 1; lang = $0; sub(/^[ \t]*```/, "", lang); shell = (lang ~ /^(sh|bash|shell)[ \t]*$/) }
    else { fence = 0; heredoc = ""; quote = ""; continued = 0 }
    next
  }
  !fence || !shell || title == "" { next }
  {
    line = $0
    sub(/^[ \t]+/, "", line)
    if (heredoc != "") { if (line == heredoc) heredoc = ""; next }
    if (!continued && quote == "") {
      if (line == "" || line ~ /^#/) next
      n++
    }
    quote = open_quote(line, quote)
    continued = (quote == "" && line ~ /\\$/)
    if (quote == "" && match(line, /<<-?[ \t]*[\x27"]?[A-Za-z_][A-Za-z0-9_]*/)) {
      heredoc = substr(line, RSTART, RLENGTH)
      sub(/^<<-?[ \t]*[\x27"]?/, "", heredoc)
    }
  }
  END {
    flush()
    printf "%s: %d commands in its required sections\n", page, total
  }
' "$page"
