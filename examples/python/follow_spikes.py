#!/usr/bin/env python3
"""Follow VoltSpike's spike events live, from Python.

Each record on the spikes topic is Avro single-object encoding: the marker C3 01, the schema's
8-byte CRC-64-AVRO fingerprint (little endian), then the Avro binary body. This script checks the
marker and fingerprint against schemas/SpikeEvent.avsc and prints one JSON object per spike.

Needs Debian's python3-confluent-kafka and python3-avro (no schema registry involved):
    apt-get install python3-confluent-kafka python3-avro
    python3 examples/python/follow_spikes.py --bootstrap-servers localhost:9092
"""
import argparse
import io
import json
import struct
import sys
import time

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaError

from voltspike_avro import MARKER, fingerprint64, schema_file


def default_schema() -> str:
    return schema_file("SpikeEvent")


class SpikeDecoder:
    def __init__(self, schema_file: str):
        with open(schema_file, encoding="utf-8") as f:
            self.schema = avro.schema.parse(f.read())
        self.fingerprint = fingerprint64(self.schema.canonical_form.encode("utf-8"))
        self.reader = avro.io.DatumReader(self.schema)

    def decode(self, value: bytes) -> dict:
        if len(value) < 10 or value[:2] != MARKER:
            raise ValueError("not Avro single-object encoding")
        (fp,) = struct.unpack("<Q", value[2:10])
        if fp != self.fingerprint:
            raise ValueError(f"unknown schema fingerprint {fp:016x}")
        return self.reader.read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap-servers", default="localhost:9092")
    ap.add_argument("--topic", default="voltspike.spikes")
    ap.add_argument("--group", default="voltspike-python-follower")
    ap.add_argument("--schema", default=default_schema())
    ap.add_argument("--from-beginning", action="store_true", help="read the topic from its start")
    ap.add_argument("--max-events", type=int, default=0, help="stop after this many (0: never)")
    ap.add_argument("--idle-timeout-s", type=float, default=0, help="stop after this long without events (0: never)")
    args = ap.parse_args()

    decoder = SpikeDecoder(args.schema)
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap_servers,
            "group.id": args.group,
            "auto.offset.reset": "earliest" if args.from_beginning else "latest",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",  # only events of committed transactions (eos)
        }
    )
    consumer.subscribe([args.topic])
    seen = 0
    last = time.monotonic()
    try:
        while args.max_events <= 0 or seen < args.max_events:
            msg = consumer.poll(0.05)
            if msg is None:
                if args.idle_timeout_s > 0 and time.monotonic() - last > args.idle_timeout_s:
                    break
                continue
            if msg.error():
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    print(f"kafka error: {msg.error()}", file=sys.stderr)
                continue
            last = time.monotonic()
            try:
                e = decoder.decode(msg.value())
            except ValueError as err:
                print(f"skipped record at {msg.topic()}/{msg.partition()}@{msg.offset()}: {err}", file=sys.stderr)
                continue
            e["latency_ms"] = (time.time() * 1e6 - e["acquired_at_us"]) / 1000.0
            print(json.dumps(e, sort_keys=True), flush=True)
            seen += 1
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
