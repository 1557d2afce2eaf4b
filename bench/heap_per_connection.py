#!/usr/bin/env python3
"""What one more idle connection keeps on the packaged service's heap, class by class.

    python3 bench/heap_per_connection.py                       # target/quarkus-app/quarkus-run.jar, 5000 connections
    python3 bench/heap_per_connection.py --connections 10000 --set chat.default-room=
    python3 bench/heap_per_connection.py --jar bench/websockets-next-idle/target/quarkus-app/quarkus-run.jar
    python3 bench/heap_per_connection.py --server "java -cp bench/target/quarkchat-bench-1.0.0-SNAPSHOT.jar:bench/target/lib/* dev.quarkchat.bench.VertxBroadcastServer {port}"

Starts the jar as bench/footprint.py does (its own key pair, one RS256 token per user, real handshakes on
loopback), opens and closes a round of connections so that what the first load creates once is made, then
takes a class histogram of the live heap (jmap -histo:live, which collects first) before and after opening
the connections, and prints the difference per connection, largest first.
"""
import argparse
import re
import shlex
import subprocess
import time

import footprint


def histogram(pid):
    """Bytes and instances of every class on the live heap."""
    output = subprocess.run(["jmap", "-histo:live", str(pid)], capture_output=True, text=True, check=True).stdout
    classes = {}
    for line in output.splitlines():
        match = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if match:
            classes[match.group(3)] = (int(match.group(1)), int(match.group(2)))
    return classes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=5000)
    parser.add_argument("--jar", default="target/quarkus-app/quarkus-run.jar", help="the build to measure")
    parser.add_argument("--browser-headers", action="store_true",
                        help="send the headers a browser sends besides the handshake's (footprint.BROWSER_HEADERS)")
    parser.add_argument("--server", metavar="COMMAND",
                        help="measure another server instead, started by COMMAND ({port}: where it must listen)")
    parser.add_argument("--path", default="/chat", help="the WebSocket's path")
    parser.add_argument("--top", type=int, default=30, help="how many classes to list")
    parser.add_argument("--set", action="append", default=[], metavar="PROPERTY=VALUE",
                        help="an extra setting for the service, e.g. --set chat.default-room= (no lobby)")
    options = parser.parse_args()

    warm_up = 200
    keys = footprint.key_pair()
    tokens = [footprint.token(f"user-{i}", keys.private) for i in range(options.connections + warm_up)]
    if options.server:
        port = footprint.free_port()
        server = footprint.Server(shlex.split(options.server.replace("{port}", str(port))), port)
    else:
        server = footprint.Service("jvm", keys, options.set, options.jar)
    with server as service:
        for connection in [footprint.open_connection(service.port, jwt, options.browser_headers, options.path)
                           for jwt in tokens[:warm_up]]:
            connection.close()
        time.sleep(footprint.SETTLE_SECONDS)
        before = histogram(service.pid)
        connections = [footprint.open_connection(service.port, jwt, options.browser_headers, options.path)
                       for jwt in tokens[warm_up:]]
        time.sleep(footprint.SETTLE_SECONDS)
        after = histogram(service.pid)
        rows = []
        for name in set(before) | set(after):
            grown = after.get(name, (0, 0))[1] - before.get(name, (0, 0))[1]
            instances = after.get(name, (0, 0))[0] - before.get(name, (0, 0))[0]
            rows.append((grown / len(connections), instances / len(connections), name))
        rows.sort(reverse=True)
        total = sum(row[0] for row in rows)
        print(f"Live heap per connection, {len(connections)} idle connections: {total:.0f} bytes")
        print("| Bytes per connection | Instances per connection | Class |")
        print("|---|---|---|")
        for size, count, name in rows[:options.top]:
            print(f"| {size:.0f} | {count:.2f} | `{name}` |")
        for connection in connections:
            connection.close()


if __name__ == "__main__":
    main()
