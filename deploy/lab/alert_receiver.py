#!/usr/bin/env python3
"""The lab's alert receivers: a webhook (HTTP POST of the sidecar's JSON) and an SMTP server (Debian's python3-aiosmtpd;
STARTTLS required before login, as a mail provider does). Each message received is one line of LOG:
`EPOCH CHANNEL JSON` with the JSON's title and text; CHANNEL is "webhook" or "email", or WEBHOOK_LABEL for the webhook.
Usage: alert_receiver.py HTTP_PORT SMTP_PORT CERT KEY USER PASSWORD_FILE LOG [ADDRESS [WEBHOOK_LABEL]]
(ADDRESS: where both listen, by default 127.0.0.1)"""
import email, email.policy, http.server, json, ssl, sys, threading, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

http_port, smtp_port, cert, key, user, password_file, log = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:8]
address = sys.argv[8] if len(sys.argv) > 8 else "127.0.0.1"
label = sys.argv[9] if len(sys.argv) > 9 else "webhook"
password = open(password_file).read().strip()
lock = threading.Lock()


def record(channel, title, text):
    with lock, open(log, "a") as f:
        f.write(f"{time.time():.3f} {channel} {json.dumps({'title': title, 'text': text})}\n")


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        record(label, body["title"], body["text"])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


class Mail:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record("email", str(message["Subject"]), message.get_body(("plain",)).get_content())
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
smtp = Controller(Mail(), hostname=address, port=smtp_port, tls_context=context, require_starttls=True,
                  authenticator=authenticate, auth_require_tls=True, auth_required=True)
smtp.start()
try:
    http.server.ThreadingHTTPServer((address, http_port), Hook).serve_forever()
finally:
    smtp.stop()
