#!/usr/bin/env python3
"""Tiny UDP probe for the NAT lab's self-check (natlab.sh check). Standard library only.

  natprobe.py stun SERVER PORT [--bind ADDR:PORT] [--timeout S]
      RFC 8489 Binding request; prints the XOR-MAPPED-ADDRESS as "IP PORT".
  natprobe.py send DST PORT PAYLOAD [--bind ADDR:PORT] [--count N]
      Sends PAYLOAD to DST:PORT N times (default 1) from one socket.
  natprobe.py ping DST PORT PAYLOAD [--bind ADDR:PORT] [--timeout S]
      Sends PAYLOAD (retransmitting) until a datagram comes back; prints it as "SRC_IP SRC_PORT
      PAYLOAD". Ends with 1 when nothing came back in time.
  natprobe.py recv --bind ADDR:PORT [--timeout S] [--ready FILE] [--until PAYLOAD]
                   [--hello DST PORT] [--echo]
      Prints every datagram as "SRC_IP SRC_PORT PAYLOAD". --hello first sends "hello" to DST:PORT
      from the bound socket (a peer's early punch); --echo answers each datagram with
      "echo:PAYLOAD". Touches FILE once bound (and the hello sent), so a caller can wait for it
      instead of sleeping. Ends with 0 when PAYLOAD (or, without --until, any datagram) arrived,
      with 1 when the timeout ran out first.

Addresses containing ':' are IPv6. Every wait is bounded by --timeout.
"""
import argparse
import os
import socket
import struct
import sys
import time

MAGIC = 0x2112A442


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def split_endpoint(text):
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def open_socket(fam, bind):
    sock = socket.socket(fam, socket.SOCK_DGRAM)
    if bind:
        host, port = split_endpoint(bind)
        sock.bind((host, port))
    return sock


def stun(args):
    fam = family_of(args.server)
    sock = open_socket(fam, args.bind)
    txid = os.urandom(12)
    request = struct.pack("!HHI", 0x0001, 0, MAGIC) + txid
    deadline = time.monotonic() + args.timeout
    rto = 0.1
    while time.monotonic() < deadline:
        sock.sendto(request, (args.server, args.port))
        sock.settimeout(min(rto, max(0.01, deadline - time.monotonic())))
        rto *= 2
        try:
            while True:
                data, _ = sock.recvfrom(2048)
                if len(data) >= 20 and data[8:20] == txid and data[0:2] == b"\x01\x01":
                    print(*parse_xor_mapped(data))
                    return 0
        except socket.timeout:
            continue
    print("stun: no answer", file=sys.stderr)
    return 1


def parse_xor_mapped(msg):
    pos = 20
    end = 20 + struct.unpack("!H", msg[2:4])[0]
    while pos + 4 <= end:
        atype, alen = struct.unpack("!HH", msg[pos:pos + 4])
        value = msg[pos + 4:pos + 4 + alen]
        if atype == 0x0020:  # XOR-MAPPED-ADDRESS, RFC 8489 section 14.2
            port = struct.unpack("!H", value[2:4])[0] ^ (MAGIC >> 16)
            if value[1] == 1:
                raw = struct.unpack("!I", value[4:8])[0] ^ MAGIC
                return socket.inet_ntop(socket.AF_INET, struct.pack("!I", raw)), port
            key = struct.pack("!I", MAGIC) + msg[8:20]
            raw = bytes(a ^ b for a, b in zip(value[4:20], key))
            return socket.inet_ntop(socket.AF_INET6, raw), port
        pos += 4 + alen + (-alen % 4)
    raise ValueError("no XOR-MAPPED-ADDRESS")


def send(args):
    sock = open_socket(family_of(args.dst), args.bind)
    for _ in range(args.count):
        sock.sendto(args.payload.encode(), (args.dst, args.port))
    return 0


def ping(args):
    sock = open_socket(family_of(args.dst), args.bind)
    deadline = time.monotonic() + args.timeout
    rto = 0.1
    while time.monotonic() < deadline:
        sock.sendto(args.payload.encode(), (args.dst, args.port))
        sock.settimeout(min(rto, max(0.01, deadline - time.monotonic())))
        rto *= 2
        try:
            data, src = sock.recvfrom(2048)
        except socket.timeout:
            continue
        print(src[0], src[1], data.decode(errors="replace"), flush=True)
        return 0
    print("ping: no answer", file=sys.stderr)
    return 1


def recv(args):
    host, _ = split_endpoint(args.bind)
    sock = open_socket(family_of(host), args.bind)
    if args.hello:
        sock.sendto(b"hello", (args.hello[0], int(args.hello[1])))
    if args.ready:
        with open(args.ready, "w"):
            pass
    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 1
        sock.settimeout(left)
        try:
            data, src = sock.recvfrom(2048)
        except socket.timeout:
            return 1
        payload = data.decode(errors="replace")
        print(src[0], src[1], payload, flush=True)
        if args.echo:
            sock.sendto(b"echo:" + data, src)
        if args.until is None or payload == args.until:
            return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("stun")
    p.add_argument("server")
    p.add_argument("port", type=int)
    p.add_argument("--bind")
    p.add_argument("--timeout", type=float, default=3.0)
    p.set_defaults(func=stun)
    p = sub.add_parser("send")
    p.add_argument("dst")
    p.add_argument("port", type=int)
    p.add_argument("payload")
    p.add_argument("--bind")
    p.add_argument("--count", type=int, default=1)
    p.set_defaults(func=send)
    p = sub.add_parser("ping")
    p.add_argument("dst")
    p.add_argument("port", type=int)
    p.add_argument("payload")
    p.add_argument("--bind")
    p.add_argument("--timeout", type=float, default=3.0)
    p.set_defaults(func=ping)
    p = sub.add_parser("recv")
    p.add_argument("--bind", required=True)
    p.add_argument("--hello", nargs=2, metavar=("DST", "PORT"))
    p.add_argument("--echo", action="store_true")
    p.add_argument("--timeout", type=float, default=3.0)
    p.add_argument("--ready")
    p.add_argument("--until")
    p.set_defaults(func=recv)
    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
