# A real SMTP server for the alert tests (Debian's python3-aiosmtpd): STARTTLS required before AUTH
# LOGIN/PLAIN, one login accepted, each message written to OUTDIR/N.eml with the login that sent it.
# Usage: smtp_receiver.py PORT CERT KEY USER PASSWORD OUTDIR   (prints "ready" once listening)
import ssl, sys, time, pathlib
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, user, password, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], pathlib.Path(sys.argv[6])
out.mkdir(parents=True, exist_ok=True)

class Handler:
    async def handle_DATA(self, server, session, envelope):
        n = len(list(out.glob("*.eml"))) + 1
        login = session.auth_data.decode() if isinstance(session.auth_data, bytes) else str(session.auth_data)
        (out / f"{n}.eml").write_bytes(f"X-Login: {login}\r\nX-Tls: {session.ssl is not None}\r\n".encode() + envelope.content)
        return "250 OK"

def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                        authenticator=authenticate, auth_require_tls=True, auth_required=True)
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(1)
finally:
    controller.stop()
