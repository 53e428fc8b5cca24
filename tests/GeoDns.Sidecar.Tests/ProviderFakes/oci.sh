# Fake oci: the commands deploy/hooks/oracle runs, answering as the OCI CLI does: {"data": ...}
# with the API's objects in kebab-case, and nothing at all for an empty list. A terminated instance
# stays listed, TERMINATED, as a real one does for a while. The tenancy's home region is
# $FAKE_OCI_HOME_REGION (default eu-frankfurt-1).
home=${FAKE_OCI_HOME_REGION:-eu-frankfurt-1}
region=$(opt --region "$@")
region=${region:-$home}
instances() {
  shopt -s nullglob
  local files=("$state"/*.oci.json)
  [ ${#files[@]} -eq 0 ] || jq -c '.instance' "${files[@]}"
}
case "$1 $2 $3" in
  "iam region-subscription list")
    jq -n --arg home "$home" '{data: [
      {"is-home-region": true, "region-key": ($home | split("-")[1][0:3] | ascii_upcase), "region-name": $home, status: "READY"},
      {"is-home-region": false, "region-key": "AMS", "region-name": "eu-amsterdam-1", status: "READY"}
    ] | unique_by(."region-name")}' ;;
  "iam availability-domain list")
    jq -n --arg c "$(opt --compartment-id "$@")" --arg r "$region" '{data: [range(1; 4) as $n | {
      "compartment-id": $c, id: "ocid1.availabilitydomain.oc1..aaaaaaaafake\($n)", name: "Uocm:\($r | ascii_upcase)-AD-\($n)"}]}' ;;
  "compute instance list")
    name=$(opt --display-name "$@") compartment=$(opt --compartment-id "$@")
    list=$(instances | jq -sc --arg n "$name" --arg c "$compartment" --arg r "$region" \
      '[.[] | select(."display-name" == $n and ."compartment-id" == $c and .region == $r)]')
    [ "$list" = "[]" ] || jq '{data: .}' <<<"$list" ;;
  "compute instance launch")
    shape=$(opt --shape "$@") name=$(opt --display-name "$@") keys=$(opt --ssh-authorized-keys-file "$@")
    [ -f "$keys" ] || { echo "Error: Invalid value for '--ssh-authorized-keys-file': Could not open file: $keys" >&2; exit 2; }
    if [[ $shape == *.Flex ]] && [ -z "$(opt --shape-config "$@")" ]; then
      echo 'ServiceError: {"code": "InvalidParameter", "message": "Shape config is required for flexible shapes", "status": 400}' >&2; exit 1
    fi
    n=$(next_id)
    ipv6='[]'
    [ "$(opt --assign-ipv6ip "$@")" != true ] || ipv6='["2001:db8:7::17"]'
    jq -n --arg n "$n" --arg name "$name" --arg r "$region" --arg c "$(opt --compartment-id "$@")" --arg ad "$(opt --availability-domain "$@")" \
      --arg shape "$shape" --argjson config "$(opt --shape-config "$@" | grep . || echo '{}')" --arg image "$(opt --image-id "$@")" \
      --arg subnet "$(opt --subnet-id "$@")" --arg key "$(cat "$keys")" --arg ud "$(base64 -w0 "$(opt --user-data-file "$@")")" \
      --argjson tags "$(opt --freeform-tags "$@")" --arg ipv4 "$FAKE_IPV4" --argjson ipv6 "$ipv6" '{
      instance: {
        "availability-domain": $ad, "compartment-id": $c, "display-name": $name, "fault-domain": "FAULT-DOMAIN-2",
        id: "ocid1.instance.oc1.\($r).anfakeinstance\($n)", "image-id": $image, "launch-mode": "PARAVIRTUALIZED",
        "lifecycle-state": "RUNNING", region: $r, shape: $shape,
        "shape-config": {ocpus: ($config.ocpus // 1), "memory-in-gbs": ($config.memoryInGBs // 1), "networking-bandwidth-in-gbps": 1.0, "max-vnic-attachments": 2},
        "source-details": {"source-type": "image", "image-id": $image, "boot-volume-size-in-gbs": null},
        metadata: {ssh_authorized_keys: $key, user_data: $ud},
        "freeform-tags": $tags, "defined-tags": {}, "time-created": "2026-05-04T10:00:00.000000+00:00"
      },
      vnic: {
        "availability-domain": $ad, "compartment-id": $c, "display-name": $name, "hostname-label": $name,
        id: "ocid1.vnic.oc1.\($r).abfakevnic\($n)", "is-primary": true, "lifecycle-state": "AVAILABLE",
        "mac-address": "02:00:17:00:12:34", "private-ip": "10.0.0.23", "public-ip": $ipv4, "ipv6-addresses": $ipv6,
        "skip-source-dest-check": false, "nsg-ids": [], "subnet-id": $subnet, "vlan-id": null,
        "time-created": "2026-05-04T10:00:10.000000+00:00"
      }
    }' >"$state/$n.oci.json"
    alive "$name"
    jq '{data: .instance, etag: "fake-etag"}' "$state/$n.oci.json" ;;
  "compute instance list-vnics")
    file=$(grep -l "\"$(opt --instance-id "$@")\"" "$state"/*.oci.json 2>/dev/null | head -n 1)
    [ -n "$file" ] || { echo 'ServiceError: {"code": "NotAuthorizedOrNotFound", "status": 404}' >&2; exit 1; }
    jq '{data: [.vnic]}' "$file" ;;
  "compute instance terminate")
    file=$(grep -l "\"$(opt --instance-id "$@")\"" "$state"/*.oci.json 2>/dev/null | head -n 1)
    [ -n "$file" ] || { echo 'ServiceError: {"code": "NotAuthorizedOrNotFound", "status": 404}' >&2; exit 1; }
    jq '.instance."lifecycle-state" = "TERMINATED"' "$file" >"$file.new" && mv "$file.new" "$file"
    gone "$(jq -r '.instance."display-name"' "$file")" ;;
  *) echo "fake oci: no such command here: $*" >&2; exit 2 ;;
esac
