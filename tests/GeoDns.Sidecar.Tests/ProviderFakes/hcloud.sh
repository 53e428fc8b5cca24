# Fake hcloud: the commands deploy/hooks/hetzner runs, answering as hcloud does: `server list -o
# json` an array of the API's server objects (null for none, as its Go encoder prints an empty
# slice), `server create` its progress lines. The servers' location is the top-level "location" the
# API has had alone since it dropped "datacenter".
[[ " $* " == *" -o json "* || "$1 $2" == "server create" || "$1 $2" == "server delete" ]] || { echo "fake hcloud: ask for -o json" >&2; exit 2; }
case "$1 $2" in
  "server list")
    shopt -s nullglob
    files=("$state"/*.hcloud.json)
    if [ ${#files[@]} -eq 0 ]; then echo null; else jq -s . "${files[@]}"; fi ;;
  "server describe")
    [ -f "$state/$3.hcloud.json" ] || { echo "hcloud: server not found: $3" >&2; exit 1; }
    cat "$state/$3.hcloud.json" ;;
  "server create")
    name=$(opt --name "$@") location=$(opt --location "$@")
    [ ! -f "$state/$name.hcloud.json" ] || { echo "hcloud: server name is already used (uniqueness_error)" >&2; exit 1; }
    case $location in
      fsn1) at='["Falkenstein DC Park 1", "Falkenstein", "DE", 50.47612, 12.370071, "eu-central"]' ;;
      nbg1) at='["Nuremberg DC Park 1", "Nuremberg", "DE", 49.452102, 11.076665, "eu-central"]' ;;
      hel1) at='["Helsinki DC Park 1", "Helsinki", "FI", 60.169855, 24.938379, "eu-central"]' ;;
      ash) at='["Ashburn, VA", "Ashburn, VA", "US", 39.045821, -77.487073, "us-east"]' ;;
      hil) at='["Hillsboro, OR", "Hillsboro, OR", "US", 45.54222, -122.951924, "us-west"]' ;;
      sin) at='["Singapore", "Singapore", "SG", 1.283333, 103.833333, "ap-southeast"]' ;;
      *) echo "hcloud: location not found: $location (invalid_input)" >&2; exit 1 ;;
    esac
    id=$(next_id)
    jq -n --argjson id "$id" --arg name "$name" --arg loc "$location" --argjson at "$at" --arg type "$(opt --type "$@")" \
      --arg image "$(opt --image "$@")" --arg ipv4 "$FAKE_IPV4" '{
      id: $id, name: $name, status: "running", created: "2026-05-04T10:00:00Z",
      public_net: {
        ipv4: {id: ($id + 1000), ip: $ipv4, blocked: false, dns_ptr: "static.\($ipv4).clients.example.net"},
        ipv6: {id: ($id + 2000), ip: "2001:db8:7::/64", blocked: false, dns_ptr: []},
        floating_ips: [], firewalls: []
      },
      private_net: [],
      server_type: {id: 104, name: $type, description: $type, cores: 2, memory: 4.0, disk: 40, storage_type: "local", cpu_type: "shared", architecture: "x86"},
      location: {id: 1, name: $loc, description: $at[0], city: $at[1], country: $at[2], latitude: $at[3], longitude: $at[4], network_zone: $at[5]},
      image: {id: 114690387, type: "system", status: "available", name: $image, description: "Debian 12", os_flavor: "debian", os_version: "12", architecture: "x86"},
      iso: null, rescue_enabled: false, locked: false, backup_window: null,
      outgoing_traffic: 0, ingoing_traffic: 0, included_traffic: 21990232555520,
      protection: {delete: false, rebuild: false}, labels: {role: "geodns-edge"},
      volumes: [], load_balancers: [], primary_disk_size: 40, placement_group: null
    }' >"$state/$name.hcloud.json"
    alive "$name"
    printf 'Server %s created\nIPv4: %s\nIPv6: 2001:db8:7::1\nIPv6 Network: 2001:db8:7::/64\n' "$id" "$FAKE_IPV4" ;;
  "server delete")
    [ -f "$state/$3.hcloud.json" ] || { echo "hcloud: server not found: $3" >&2; exit 1; }
    id=$(jq .id "$state/$3.hcloud.json")
    rm "$state/$3.hcloud.json"
    gone "$3"
    echo "Server $id deleted" ;;
  *) echo "fake hcloud: no such command here: $*" >&2; exit 2 ;;
esac
