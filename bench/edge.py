#!/usr/bin/env python3
"""A stand-in edge for bench/failover.sh: accepts TCP connections on ADDR:PORT and closes them."""
import socket
import sys

addr, port = sys.argv[1], int(sys.argv[2])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((addr, port))
server.listen(64)
while True:
    client, _ = server.accept()
    client.close()
