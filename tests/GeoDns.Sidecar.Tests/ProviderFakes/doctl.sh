# Fake doctl: the commands deploy/hooks/digitalocean runs, answering as doctl does: `-o json` an
# array of the API's droplet objects (`get` too), `create` a table.
case "$1 $2 $3" in
  "compute droplet list")
    [[ " $* " == *" -o json "* ]] || { echo "fake doctl: ask for -o json" >&2; exit 2; }
    shopt -s nullglob
    files=("$state"/*.doctl.json)
    # The glob argument matches names; without one, all droplets.
    glob=${4:-}
    [[ $glob != -* ]] || glob=
    jq -s --arg glob "$glob" '[.[] | select($glob == "" or .name == $glob)]' "${files[@]}" </dev/null ;;
  "compute droplet get")
    [ -f "$state/$4.doctl.json" ] || { echo "Error: droplet with name \"$4\" not found" >&2; exit 1; }
    jq -s . "$state/$4.doctl.json" ;;
  "compute droplet create")
    name=$4 region=$(opt --region "$@")
    case $region in
      fra1) city="Frankfurt 1" ;; ams3) city="Amsterdam 3" ;; lon1) city="London 1" ;; nyc3) city="New York 3" ;;
      tor1) city="Toronto 1" ;; sgp1) city="Singapore 1" ;; blr1) city="Bangalore 1" ;; syd1) city="Sydney 1" ;;
      *) echo "Error: POST https://api.digitalocean.com/v2/droplets: 422 Region is not available" >&2; exit 1 ;;
    esac
    id=$(next_id)
    v6='[]'
    [[ " $* " != *" --enable-ipv6 "* ]] || v6='[{"ip_address": "2001:db8:7::10", "netmask": 64, "gateway": "2001:db8:7::1", "type": "public"}]'
    jq -n --argjson id "$id" --arg name "$name" --arg region "$region" --arg city "$city" --arg size "$(opt --size "$@")" \
      --arg image "$(opt --image "$@")" --arg tag "$(opt --tag-name "$@")" --arg ipv4 "$FAKE_IPV4" --argjson v6 "$v6" '{
      id: $id, name: $name, memory: 1024, vcpus: 1, disk: 25, locked: false, status: "active",
      kernel: null, created_at: "2026-05-04T10:00:00Z", features: ["droplet_agent", "ipv6", "private_networking"],
      backup_ids: [], next_backup_window: null, snapshot_ids: [],
      image: {id: 148502384, name: "12 x64", distribution: "Debian", slug: $image, public: true, regions: [$region],
              created_at: "2024-01-10T16:21:35Z", min_disk_size: 15, type: "base", size_gigabytes: 1.2, status: "available"},
      volume_ids: [],
      size: {slug: $size, memory: 1024, vcpus: 1, disk: 25, transfer: 1.0, price_monthly: 6.0, price_hourly: 0.00893,
             regions: [$region], available: true, description: "Basic"},
      size_slug: $size,
      networks: {
        v4: [{ip_address: "10.114.0.2", netmask: "255.255.240.0", gateway: "10.114.0.1", type: "private"},
             {ip_address: $ipv4, netmask: "255.255.255.0", gateway: "203.0.113.1", type: "public"}],
        v6: $v6
      },
      region: {name: $city, slug: $region, features: ["backups", "ipv6", "metadata", "install_agent"], available: true, sizes: [$size]},
      tags: [$tag], vpc_uuid: "5a4981aa-9653-4bd1-bef5-d6bff52042e4"
    }' >"$state/$name.doctl.json"
    alive "$name"
    printf 'ID\tName\tPublic IPv4\tStatus\n%s\t%s\t%s\tactive\n' "$id" "$name" "$FAKE_IPV4" ;;
  "compute droplet delete")
    [ -f "$state/$4.doctl.json" ] || { echo "Error: droplet with name \"$4\" not found" >&2; exit 1; }
    rm "$state/$4.doctl.json"
    gone "$4" ;;
  *) echo "fake doctl: no such command here: $*" >&2; exit 2 ;;
esac
