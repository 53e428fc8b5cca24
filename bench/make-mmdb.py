#!/usr/bin/env python3
"""Writes a small MaxMind DB (format 2.0, GeoIP2-City shaped) locating a few networks, so a bench
runs with geo on without downloading a database. The same layout as tests/Shared/MmdbWriter.cs: an
IPv6 search tree, IPv4 networks under ::/96, 32-bit records.

Usage: bench/make-mmdb.py OUT.mmdb NETWORK=LAT,LON,COUNTRY,CONTINENT ...
  e.g. 198.51.100.0/24=50.11,8.68,DE,EU
"""
import ipaddress
import struct
import sys


def control(kind, size):
    first = kind << 5 if kind <= 7 else 0
    if size < 29:
        head, extra = bytes([first | size]), b""
    elif size < 29 + 256:
        head, extra = bytes([first | 29]), bytes([size - 29])
    else:
        head, extra = bytes([first | 30]), struct.pack(">H", size - 285)
    return head + (bytes([kind - 7]) if kind > 7 else b"") + extra


def encode(value):
    if isinstance(value, str):
        raw = value.encode()
        return control(2, len(raw)) + raw
    if isinstance(value, float):
        return control(3, 8) + struct.pack(">d", value)
    if isinstance(value, tuple):  # (type, unsigned integer): 5 uint16, 6 uint32, 9 uint64
        kind, number = value
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        return control(kind, len(raw)) + raw
    if isinstance(value, dict):
        return control(7, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    if isinstance(value, list):
        return control(11, len(value)) + b"".join(encode(v) for v in value)
    raise ValueError(f"cannot encode {value!r}")


def build(networks):
    """networks: list of (ipaddress network, record dict)."""
    root = [None, None]
    nodes = [root]
    for network, record in networks:
        bits = int(network.network_address)  # IPv4 a.b.c.d is ::a.b.c.d: the same bit arithmetic serves both
        length = network.prefixlen + (96 if network.version == 4 else 0)
        node = root
        for i in range(length - 1):
            bit = bits >> (127 - i) & 1
            if not isinstance(node[bit], list):
                child = [node[bit], node[bit]]
                node[bit] = child
                nodes.append(child)
            node = node[bit]
        last = length - 1
        node[bits >> (127 - last) & 1] = record
    index = {id(n): i for i, n in enumerate(nodes)}
    data, offsets = bytearray(), {}

    def record(value):
        if value is None:
            return len(nodes)
        if isinstance(value, list):
            return index[id(value)]
        if id(value) not in offsets:
            offsets[id(value)] = len(data)
            data.extend(encode(value))
        return len(nodes) + 16 + offsets[id(value)]

    tree = b"".join(struct.pack(">II", record(n[0]), record(n[1])) for n in nodes)
    metadata = encode({
        "binary_format_major_version": (5, 2),
        "binary_format_minor_version": (5, 0),
        "build_epoch": (9, 1764547200),
        "database_type": "GeoDns-Bench-City",
        "description": {"en": "GeoDns bench database (bench/make-mmdb.py)"},
        "ip_version": (5, 6),
        "languages": ["en"],
        "node_count": (6, len(nodes)),
        "record_size": (5, 32),
    })
    return tree + bytes(16) + bytes(data) + b"\xab\xcd\xefMaxMind.com" + metadata


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    networks = []
    for arg in sys.argv[2:]:
        prefix, place = arg.split("=")
        lat, lon, country, continent = place.split(",")
        networks.append((ipaddress.ip_network(prefix), {
            "continent": {"code": continent},
            "country": {"iso_code": country},
            "location": {"latitude": float(lat), "longitude": float(lon)},
        }))
    with open(sys.argv[1], "wb") as out:
        out.write(build(networks))


if __name__ == "__main__":
    main()
