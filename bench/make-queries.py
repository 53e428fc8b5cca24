#!/usr/bin/env python3
"""Turns a dnsperf query file ("NAME TYPE" lines) into dnsperf's binary format (-B: each query
preceded by its 2-byte length, RFC 1035 4.2.2), every query with EDNS (payload 1232) and an ECS
option (RFC 7871), the subnets taken in turn: what a resolver sending client subnets asks, so a
GeoDNS server really locates each client. Lines stay in their order.

Usage: bench/make-queries.py IN.txt OUT.bin SUBNET[,SUBNET...]   e.g. 198.51.100.0/24,203.0.113.0/24
"""
import ipaddress
import struct
import sys

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33, "CAA": 257}


def name_wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def ecs(network):
    source = network.prefixlen
    address = network.network_address.packed[: (source + 7) // 8]
    family = 1 if network.version == 4 else 2
    data = struct.pack(">HBB", family, source, 0) + address
    return struct.pack(">HH", 8, len(data)) + data


def query(name, qtype, subnet):
    header = struct.pack(">HHHHHH", 0, 0, 1, 0, 0, 1)  # RD clear: we ask an authoritative server
    question = name_wire(name) + struct.pack(">HH", TYPES[qtype.upper()], 1)
    options = ecs(subnet)
    opt = b"\x00" + struct.pack(">HHIH", 41, 1232, 0, len(options)) + options
    return header + question + opt


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    subnets = [ipaddress.ip_network(s) for s in sys.argv[3].split(",")]
    lines = [line.split() for line in open(sys.argv[1]) if line.strip() and not line.startswith("#")]
    with open(sys.argv[2], "wb") as out:
        for i, (name, qtype) in enumerate(lines):
            message = query(name, qtype, subnets[i % len(subnets)])
            out.write(struct.pack(">H", len(message)) + message)


if __name__ == "__main__":
    main()
