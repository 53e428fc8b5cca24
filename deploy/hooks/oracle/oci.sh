# Sourced by oracle/create.sh and destroy.sh: the region they work in and how they find the instance.
#
# Free tier VMs (VM.Standard.A1.Flex, VM.Standard.E2.1.Micro) run only in the tenancy's home
# region, which `oci iam region-subscription list` tells; OCI_REGION names another (a paid
# tenancy subscribed to it).
: "${OCI_COMPARTMENT_ID:?OCID of the compartment the edges go in}"
region=${OCI_REGION:-$(oci iam region-subscription list | jq -r '.data[] | select(."is-home-region") | ."region-name"')}
[ -n "$region" ] || { echo "oci tells no home region: set OCI_REGION in hooks.environment" >&2; exit 1; }

# The instance displayed as $EDGE_NAME, not terminated, or nothing; a failing oci fails the hook.
# oci prints nothing at all for an empty list, and keeps terminated instances listed for a while.
instance_named() {
  oci compute instance list --region "$region" --compartment-id "$OCI_COMPARTMENT_ID" --display-name "$EDGE_NAME" --all |
    jq -c '[(.data // [])[] | select(."lifecycle-state" != "TERMINATED" and ."lifecycle-state" != "TERMINATING")][0] // empty'
}

# The instance's primary VNIC, where its public addresses are.
primary_vnic() {
  oci compute instance list-vnics --region "$region" --instance-id "$1" | jq -c '[(.data // [])[] | select(."is-primary")][0] // {}'
}
