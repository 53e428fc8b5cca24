#!/usr/bin/env python3
"""Abusive TCP clients against a DNS server on loopback, and one normal client (bench/tcp-abuse.sh runs it).

  tcp-abuse.py SERVER PORT SECONDS SLOW NONREADERS

SLOW clients (from 127.88.0.0/21, 8 prefixes) each hold a connection and send one query every 5 s,
half of them a byte at a time (slow loris); NONREADERS (from 127.89.0.0/24) pipeline large queries
and never read a reply. Every abuser reconnects as soon as it is dropped. Meanwhile a normal
client on 127.99.0.1 connects, asks one question and waits up to 2 s, 20 times a second.
Prints how many of the normal client's questions were answered. Loopback only; bounded in time.
"""
import asyncio, struct, sys, time

def query(qid, name, qtype):
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", qtype, 1)

def framed(q):
    return struct.pack(">H", len(q)) + q

async def slow(server, port, source, loris, end):
    while time.monotonic() < end:
        try:
            reader, writer = await asyncio.open_connection(server, port, local_addr=(source, 0))
            while time.monotonic() < end:
                message = framed(query(1, "www.example.com", 1))
                if loris:
                    for b in message:
                        writer.write(bytes([b])); await writer.drain(); await asyncio.sleep(0.4)
                else:
                    writer.write(message); await writer.drain()
                length = struct.unpack(">H", await reader.readexactly(2))[0]
                await reader.readexactly(length)
                await asyncio.sleep(5)
        except (OSError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.05)

async def nonreader(server, port, source, end):
    message = framed(query(2, "big.example.com", 16)) * 100
    while time.monotonic() < end:
        try:
            _, writer = await asyncio.open_connection(server, port, local_addr=(source, 0))
            writer.transport.set_write_buffer_limits(high=1 << 20)
            while time.monotonic() < end:
                writer.write(message)
                await asyncio.sleep(0.5)
                if writer.is_closing(): break
                if writer.transport.get_write_buffer_size() > (1 << 20): await asyncio.sleep(1)
            writer.close()
        except OSError:
            pass
        await asyncio.sleep(0.05)

async def normal(server, port, end, counts):
    qid = 0
    next_at = time.monotonic() + 2  # let the abusers take their slots first
    while time.monotonic() < end:
        await asyncio.sleep(max(0, next_at - time.monotonic()))
        next_at += 0.05
        qid = (qid + 1) & 0xFFFF
        counts["asked"] += 1
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(server, port, local_addr=("127.99.0.1", 0)), 2)
            writer.write(framed(query(qid, "www.example.com", 1)))
            length = struct.unpack(">H", await asyncio.wait_for(reader.readexactly(2), 2))[0]
            reply = await asyncio.wait_for(reader.readexactly(length), 2)
            if struct.unpack(">H", reply[:2])[0] == qid: counts["answered"] += 1
            writer.close()
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            pass

async def main():
    server, port, seconds, slow_count, nonreaders = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    assert server.startswith("127.") and 0 < seconds <= 120 and slow_count <= 2000 and nonreaders <= 250
    end = time.monotonic() + seconds
    counts = {"asked": 0, "answered": 0}
    tasks = [slow(server, port, f"127.88.{i % 8}.{i // 8 + 1}", i % 2 == 1, end) for i in range(slow_count)]
    tasks += [nonreader(server, port, f"127.89.0.{i + 1}", end) for i in range(nonreaders)]
    tasks.append(normal(server, port, end, counts))
    await asyncio.gather(*tasks)
    print(f"normal asked {counts['asked']} answered {counts['answered']}")

asyncio.run(main())
