# Fake vultr-cli: the commands deploy/hooks/vultr runs, answering as vultr-cli v3 does with
# --output json: `instance list` {"instances": [...], "meta": {...}}, `instance get` and `create`
# {"instance": {...}}, the API's instance objects. A new instance is "pending" at 0.0.0.0 for the
# first read after its creation, as a real one is while Vultr installs it.
[[ " $* " == *" --output json "* || "$1 $2" == "instance delete" ]] || { echo "fake vultr-cli: ask for --output json" >&2; exit 2; }
# Shows an instance, then lets a pending one finish installing.
show() {
  jq -c "$2" "$1"
  if [ "$(jq -r .status "$1")" = pending ]; then
    jq -c --arg ipv4 "$FAKE_IPV4" '.status = "active" | .server_status = "ok" | .main_ip = $ipv4 | .v6_main_ip = "2001:db8:7:0:5400:4ff:fe6a:1b2c"' "$1" >"$1.new"
    mv "$1.new" "$1"
  fi
}
case "$1 $2" in
  "instance list")
    shopt -s nullglob
    files=("$state"/*.vultr.json)
    jq -s '{instances: ., meta: {total: length, links: {next: "", prev: ""}}}' "${files[@]}" </dev/null
    for f in "${files[@]}"; do show "$f" empty; done ;;
  "instance get")
    file=$(grep -l "\"id\":\"$3\"" "$state"/*.vultr.json 2>/dev/null | head -n 1)
    [ -n "$file" ] || { echo 'error getting instance : {"error":"instance not found","status":404}' >&2; exit 1; }
    show "$file" '{instance: .}' ;;
  "instance create")
    region=$(opt --region "$@") label=$(opt --label "$@")
    case $region in
      ams | atl | bom | blr | cdg | del | dfw | ewr | fra | hnl | icn | itm | jnb | lax | lhr | mad | man | mel | mex | mia | nrt | ord | sao | scl | sea | sgp | sjc | sto | syd | tlv | waw | yto) ;;
      *) echo 'error creating instance : {"error":"Invalid region.","status":400}' >&2; exit 1 ;;
    esac
    # A UUID, as Vultr's ids are, made from the label and a counter.
    id=$(printf '%s%s' "$label" "$(next_id)" | md5sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/')
    jq -nc --arg id "$id" --arg region "$region" --arg lbl "$label" --arg host "$(opt --host "$@")" \
      --arg plan "$(opt --plan "$@")" --argjson os "$(opt --os "$@")" --arg tags "$(opt --tags "$@")" '{
      id: $id, os: "Debian 12 x64 (bookworm)", ram: 1024, disk: 25, main_ip: "0.0.0.0", vcpu_count: 1, region: $region,
      plan: $plan, date_created: "2026-05-04T10:00:00+00:00", status: "pending", allowed_bandwidth: 1,
      netmask_v4: "255.255.254.0", gateway_v4: "203.0.113.1", power_status: "running", server_status: "none",
      v6_network: "2001:db8:7::", v6_main_ip: "", v6_network_size: 64, label: $lbl, internal_ip: "", kvm: "",
      hostname: $host, tag: "", tags: ($tags | split(",")), os_id: $os, app_id: 0, image_id: "",
      firewall_group_id: "", features: ["ipv6"], user_scheme: "root"
    }' >"$state/$label.vultr.json"
    alive "$label"
    jq '{instance: (. + {default_password: "v3F!fakeRootPassword"})}' "$state/$label.vultr.json" ;;
  "instance delete")
    file=$(grep -l "\"id\":\"${3:-none}\"" "$state"/*.vultr.json 2>/dev/null | head -n 1)
    [ -n "$file" ] || { echo 'error deleting instance : {"error":"instance not found","status":404}' >&2; exit 1; }
    gone "$(jq -r .label "$file")"
    rm "$file"
    echo "Instance has been deleted" ;;
  *) echo "fake vultr-cli: no such command here: $*" >&2; exit 2 ;;
esac
