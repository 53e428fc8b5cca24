#!/usr/bin/env python3
"""The lab's home web app: answers every GET with a small page naming the home, and /slow with a
delay. Bound to loopback in the home namespace; the home nginx proxies to it."""
import http.server
import sys


class App(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"hello from home\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), App).serve_forever()
