"""A local SMTP server for 027_smtp_tls: aiosmtpd (Debian's
python3-aiosmtpd) with TLS and AUTH, on a free loopback port.

    smtp_server.py PORTFILE LOG CERT KEY MODE USER PASSWORD MECHANISM

MODE is starttls (plain until STARTTLS, which is required before MAIL)
or tls (implicit TLS from the first byte, "smtps").  AUTH is required
before MAIL, and only USER with PASSWORD passes; MECHANISM (LOGIN or
PLAIN) is the one AUTH mechanism offered.  The port is written to
PORTFILE (via a rename, so a reader never sees half of it) once the
server listens.  Each message received is appended to LOG as one JSON
line: mail_from, rcpt_tos, auth (the mechanism used), tls (whether the
session was encrypted) and data (the message as received).  Every AUTH
attempt is appended too, as {"auth": MECHANISM, "ok": true|false}.
Runs until SIGTERM; the C test starts and stops it by PID.
"""
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def log(path, obj):
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(obj) + "\n")


def main():
    # Implicit TLS requires AUTH without aiosmtpd's STARTTLS: it warns.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    portfile, logpath, cert, key, mode, user, password, mech = sys.argv[1:9]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    offered = {"LOGIN", "PLAIN"}

    def authenticator(server, session, envelope, mechanism, data):
        ok = (isinstance(data, LoginPassword) and
              data.login == user.encode() and
              data.password == password.encode())
        log(logpath, {"auth": mechanism, "ok": ok})
        return AuthResult(success=ok, handled=False, auth_data=mechanism)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            tls = (session.ssl is not None or
                   server.transport.get_extra_info("ssl_object") is not None)
            log(logpath, {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "auth": session.auth_data,
                "tls": tls,
                "data": envelope.content.decode("utf-8", "replace"),
            })
            return "250 OK queued"

    def factory():
        return SMTP(Handler(), hostname="localhost",
                    tls_context=ctx if mode == "starttls" else None,
                    require_starttls=mode == "starttls",
                    auth_required=True,
                    # Implicit TLS is encrypted from the start, which
                    # aiosmtpd's STARTTLS bookkeeping does not see.
                    auth_require_tls=mode == "starttls",
                    auth_exclude_mechanism=offered - {mech},
                    authenticator=authenticator)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        factory, "127.0.0.1", 0, ssl=ctx if mode == "tls" else None))
    port = server.sockets[0].getsockname()[1]
    with open(portfile + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(portfile + ".tmp", portfile)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
