#!/usr/bin/env python3
"""A stand-in edge for the bench scripts: accepts TCP connections on ADDR:PORT and, as nginx does with a
connection that sends no request, keeps each open until the client closes it or 60 s pass
(client_header_timeout). Killed, its kernel closes them all, as a dead nginx's does."""
import selectors
import socket
import sys
import time

IDLE = 60
addr, port = sys.argv[1], int(sys.argv[2])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((addr, port))
server.listen(256)
events = selectors.DefaultSelector()
events.register(server, selectors.EVENT_READ)
opened = {}
while True:
    for key, _ in events.select(timeout=1):
        if key.fileobj is server:
            client, _ = server.accept()
            client.setblocking(False)
            events.register(client, selectors.EVENT_READ)
            opened[client] = time.monotonic()
        else:
            client = key.fileobj
            try:
                data = client.recv(4096)
            except OSError:
                data = b""
            if not data:  # closed by the client (a probe is done), or reset
                events.unregister(client)
                opened.pop(client, None)
                client.close()
    now = time.monotonic()
    for client in [c for c, t in opened.items() if now - t > IDLE]:
        events.unregister(client)
        opened.pop(client)
        client.close()
