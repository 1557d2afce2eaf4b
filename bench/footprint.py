#!/usr/bin/env python3
"""Start time and resident memory of the packaged service, idle and holding N authenticated connections.

    python3 bench/footprint.py --mode jvm       # target/quarkus-app/quarkus-run.jar (./mvnw package)
    python3 bench/footprint.py --mode native    # target/*-runner (./mvnw package -Dnative)

Needs only Python 3 and the openssl command: it makes an RSA key pair, starts the service with its public
key, signs one RS256 token per user, opens the connections on loopback (real WebSocket handshakes), and
reads the service's RSS from /proc. Every connection joins the default room, as real clients do, unless
--set chat.default-room= disables it.
"""
import argparse
import base64
import glob
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

ISSUER = "https://issuer.footprint.test"
SETTLE_SECONDS = 3


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(user, private_key):
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    now = int(time.time())
    claims = b64url(json.dumps({"iss": ISSUER, "upn": user, "iat": now, "exp": now + 3600}).encode())
    signing_input = f"{header}.{claims}".encode()
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", private_key], input=signing_input,
                               capture_output=True, check=True).stdout
    return f"{header}.{claims}.{b64url(signature)}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


# What a browser sends besides the handshake's own headers (its cookies vary; these are short).
BROWSER_HEADERS = ("User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/131.0.0.0 Safari/537.36\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
                   "Accept-Language: en-GB,en;q=0.9,fr;q=0.8\r\nCache-Control: no-cache\r\nPragma: no-cache\r\n"
                   "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                   "Cookie: _ga=GA1.1.1234567890.1733000000; theme=dark; consent=all\r\n")


def open_connection(port, jwt, browser=False, path="/chat"):
    connection = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    extra = BROWSER_HEADERS if browser else ""
    connection.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                        f"{extra}Authorization: Bearer {jwt}\r\n\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += connection.recv(4096)
    if not answer.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(answer.split(b"\r\n")[0].decode())
    return connection


class KeyPair:
    """An RSA key pair in PEM files: the service verifies with the public one, tokens are signed with the other."""

    def __init__(self, private, public):
        self.private = private
        self.public = public


def key_pair():
    work = tempfile.mkdtemp(prefix="footprint-keys-")
    private_key, public_key = f"{work}/private.pem", f"{work}/public.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", private_key],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", private_key, "-pubout", "-out", public_key], check=True, capture_output=True)
    return KeyPair(private_key, public_key)


class Server:
    """A server process started by a command line, once its log says it is listening on the given port."""

    def __init__(self, command, port):
        self.port = port
        self.log = tempfile.TemporaryFile("w+")
        launched = time.monotonic()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.process.pid
        while True:
            self.log.seek(0)
            self.startup_log = self.log.read()
            if "Listening on" in self.startup_log:
                self.ready_ms = (time.monotonic() - launched) * 1000
                break
            if self.process.poll() is not None or time.monotonic() - launched > 60:
                self.process.kill()
                sys.exit("the server did not start:\n" + self.startup_log)
            time.sleep(0.005)

    def __enter__(self):
        return self

    def __exit__(self, *failure):
        self.process.terminate()
        self.process.wait(timeout=30)


class Service(Server):
    """The packaged service, started with the public key and the given settings, listening on a free port."""

    def __init__(self, mode, keys, extra_settings, jar="target/quarkus-app/quarkus-run.jar"):
        port = free_port()
        settings = [f"-Dquarkus.http.port={port}", f"-Dmp.jwt.verify.publickey.location={keys.public}",
                    f"-Dmp.jwt.verify.issuer={ISSUER}", "-Dchat.allow-missing-origin=true",
                    "-Dquarkus.http.insecure-requests=enabled", "-Dchat.handshake-rate-limit.burst=100000",
                    *[f"-D{setting}" for setting in extra_settings]]
        if mode == "jvm":
            command = ["java", *settings, "-jar", jar]
        else:
            command = [glob.glob("target/*-runner")[0], *settings]
        super().__init__(command, port)
        self.reported = re.search(r"started in ([0-9.]+)s", self.startup_log).group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["jvm", "native"], required=True)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--set", action="append", default=[], metavar="PROPERTY=VALUE",
                        help="an extra setting for the service, e.g. --set chat.default-room= (no lobby)")
    options = parser.parse_args()

    keys = key_pair()
    tokens = [token(f"user-{i}", keys.private) for i in range(options.connections)]
    with Service(options.mode, keys, options.set) as service:
        time.sleep(SETTLE_SECONDS)
        idle = rss_kib(service.pid)
        connections = [open_connection(service.port, jwt) for jwt in tokens]
        time.sleep(SETTLE_SECONDS)
        loaded = rss_kib(service.pid)
        per_connection = (loaded - idle) / len(connections)
        print(f"| {options.mode} | {service.reported} s | {service.ready_ms:.0f} ms | {idle / 1024:.1f} MiB | "
              f"{len(connections)} | {loaded / 1024:.1f} MiB | {per_connection:.1f} KiB |")
        for connection in connections:
            connection.close()


if __name__ == "__main__":
    main()
