"""Stand-ins for what lies outside the machine, faked at the network boundary on 127.0.0.1:
Twilio's REST API (HTTP) and an SMTP relay (a socket speaking SMTP)."""

import json
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeTwilio:
    """Answers Twilio's Messages.create (`responses` are (status, json) played in turn) and
    serves MMS media files (`media`)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.responses: list[tuple[int, dict]] = []
        self.lock = threading.Lock()
        # stall_next: hold the next request unanswered (not accepted), and set `stalled`.
        self.stall_next = False
        self.stalled = threading.Event()
        # media: path -> (status, bytes) served to GET, as Twilio serves MMS media.
        self.media: dict[str, tuple[int, bytes]] = {}
        self.media_auth: list[str | None] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                fake.media_auth.append(self.headers.get("Authorization"))
                status, body = fake.media.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if fake.stall_next:
                    fake.stall_next = False
                    fake.stalled.set()
                    time.sleep(30)
                    return
                with fake.lock:
                    fake.requests.append({"path": self.path, **form})
                    n = len(fake.requests)
                    status, body = (fake.responses.pop(0) if fake.responses else
                                    (201, {"sid": f"SM{n:032d}", "status": "queued"}))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class FakeSMTP:
    """Speaks enough SMTP for smtplib; `refuse` recipients get 550. Messages are kept."""

    def __init__(self):
        self.messages: list[dict] = []
        self.refuse: set[str] = set()
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write((line + "\r\n").encode())

            def handle(self):
                self.reply("220 fake ESMTP")
                envelope = {"to": []}
                while line := self.rfile.readline().decode().rstrip("\r\n"):
                    verb = line.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 fake")
                    elif verb == "MAIL":
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        to = line.split(":", 1)[1].strip(" <>")
                        if to in fake.refuse:
                            self.reply("550 no such user")
                        else:
                            envelope["to"].append(to)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 go on")
                        data = []
                        while (chunk := self.rfile.readline().decode()) not in (".\r\n", ""):
                            data.append(chunk)
                        fake.messages.append({**envelope, "data": "".join(data)})
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
