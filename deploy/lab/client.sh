#!/usr/bin/env bash
# One lab client, run inside its namespace: RATE HTTPS requests a second for SECONDS to the pool
# name through the namespace's resolver (/etc/netns/NS/resolv.conf), as a browser would: a fresh
# lookup per request (glibc, no cache of its own), the certificate checked against the lab CA.
# Bounded: SECONDS x RATE requests, each cut off after 4 s. One line per request in OUT:
#   launch-time curl-exit http-status served-by-address total-seconds
set -u
seconds=$1 rate=$2 out=$3 ca=$4 name=${5:-app.edge.example.com}
count=$((seconds * rate))
gap=$(awk "BEGIN { printf \"%.3f\", 1 / $rate }")
for ((i = 0; i < count; i++)); do
  {
    t=$EPOCHREALTIME
    r=$(curl -s -o /dev/null --cacert "$ca" --connect-timeout 2 --max-time 4 -w '%{http_code} %{remote_ip} %{time_total}' "https://$name/")
    echo "$t $? ${r:-000 - 0}" >>"$out"
  } &
  sleep "$gap"
done
wait
