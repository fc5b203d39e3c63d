#!/usr/bin/env python3
"""Send a rig's voltage samples to VoltSpike: one record per neuron and chunk.

Each record is keyed by the neuron id and holds one VoltageChunk: session, neuron, the session
sample index of its first sample, the sample rate, the acquisition time of its first sample, the
samples (NaN or null: missing) and, on a neuron's last chunk, end_of_session. The value is Avro
single-object encoding (marker C3 01, the schema's CRC-64-AVRO fingerprint, the Avro binary body;
no schema registry) or, with --encoding json, a JSON object with the same field names.

Input: CSV files with the header time_ms,voltage (the neuron id is the file name without its
extension), as `voltspike simulate` writes them. A real rig calls ChunkSender.send() from its
acquisition loop instead.

Needs Debian's python3-confluent-kafka (and python3-avro for --encoding avro):
    apt-get install python3-confluent-kafka python3-avro
    python3 examples/python/send_chunks.py --bootstrap-servers localhost:9092 traces/*.csv
"""
import argparse
import csv
import io
import json
import math
import os
import struct
import sys
import time

from confluent_kafka import Producer

from voltspike_avro import MARKER, fingerprint64, schema_file


def default_schema() -> str:
    return schema_file("VoltageChunk")


class AvroChunkEncoder:
    """VoltageChunk records in Avro single-object encoding."""

    def __init__(self, path: str):
        import avro.io
        import avro.schema

        with open(path, encoding="utf-8") as f:
            self.schema = avro.schema.parse(f.read())
        fp = fingerprint64(self.schema.canonical_form.encode("utf-8"))
        self.header = MARKER + struct.pack("<Q", fp)
        self.writer = avro.io.DatumWriter(self.schema)
        self._avro_io = avro.io

    def encode(self, chunk: dict) -> bytes:
        buf = io.BytesIO()
        buf.write(self.header)
        record = dict(chunk)
        record["samples"] = [float("nan") if s is None else s for s in chunk["samples"]]
        self.writer.write(record, self._avro_io.BinaryEncoder(buf))
        return buf.getvalue()


class JsonChunkEncoder:
    """VoltageChunk records as JSON (null for a missing sample)."""

    def encode(self, chunk: dict) -> bytes:
        record = dict(chunk)
        record["samples"] = [None if s is None or math.isnan(s) else s for s in chunk["samples"]]
        return json.dumps(record, separators=(",", ":")).encode("utf-8")


class ChunkSender:
    """Keeps each neuron's next sample index and publishes its chunks in order."""

    def __init__(self, producer: Producer, topic: str, encoder, session: str, sample_rate_hz: float):
        self.producer = producer
        self.topic = topic
        self.encoder = encoder
        self.session = session
        self.sample_rate_hz = sample_rate_hz
        self.next_sample = {}
        self.failed = []

    def _delivered(self, err, msg):
        if err is not None:
            self.failed.append(str(err))

    def send(self, neuron: str, samples, acquired_at_us: int, end_of_session: bool = False):
        first = self.next_sample.get(neuron, 0)
        chunk = {
            "session": self.session,
            "neuron": neuron,
            "first_sample": first,
            "sample_rate_hz": self.sample_rate_hz,
            "acquired_at_us": acquired_at_us,
            "samples": list(samples),
            "end_of_session": end_of_session,
        }
        self.producer.produce(
            self.topic, key=neuron.encode("utf-8"), value=self.encoder.encode(chunk), on_delivery=self._delivered
        )
        self.producer.poll(0)
        self.next_sample[neuron] = first + len(chunk["samples"])

    def flush(self, timeout_s: float = 30.0) -> None:
        left = self.producer.flush(timeout_s)
        if left or self.failed:
            raise RuntimeError(f"{left} chunks undelivered, {len(self.failed)} failed: {self.failed[:3]}")


def read_csv(path: str):
    times, volts = [], []
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = [h.strip().lower() for h in next(rows)]
        if header[:2] != ["time_ms", "voltage"]:
            raise ValueError(f"{path}: expected header time_ms,voltage, found {header}")
        for row in rows:
            times.append(float(row[0]))
            volts.append(float(row[1]) if row[1].strip() not in ("", "NaN", "nan") else float("nan"))
    if len(times) < 2:
        raise ValueError(f"{path}: fewer than two samples")
    steps = sorted(b - a for a, b in zip(times, times[1:]))
    rate = 1000.0 / steps[len(steps) // 2]
    return rate, volts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("traces", nargs="+", help="CSV files (time_ms,voltage); neuron id = file name")
    ap.add_argument("--bootstrap-servers", default="localhost:9092")
    ap.add_argument("--topic", default="voltspike.samples")
    ap.add_argument("--session", default="rig")
    ap.add_argument("--encoding", choices=["avro", "json"], default="avro")
    ap.add_argument("--schema", default=default_schema())
    ap.add_argument("--chunk-ms", type=float, default=10.0, help="samples per chunk, in ms of signal")
    ap.add_argument("--speed", type=float, default=0.0, help="1.0: real time; 0: as fast as possible")
    args = ap.parse_args()

    traces = {}
    rate = None
    for path in args.traces:
        r, v = read_csv(path)
        if rate is not None and abs(r - rate) > 1e-6 * rate:
            print(f"error: {path} is at {r} Hz, the others at {rate} Hz (one rate per run)", file=sys.stderr)
            return 1
        rate = r
        traces[os.path.splitext(os.path.basename(path))[0]] = v
    encoder = AvroChunkEncoder(args.schema) if args.encoding == "avro" else JsonChunkEncoder()
    producer = Producer(
        {
            "bootstrap.servers": args.bootstrap_servers,
            "enable.idempotence": True,  # no duplicates or reordering on retries
            "linger.ms": 0,
        }
    )
    sender = ChunkSender(producer, args.topic, encoder, args.session, rate)
    n = max(1, round(args.chunk_ms * rate / 1000.0))
    longest = max(len(v) for v in traces.values())
    start_us = int(time.time() * 1e6)
    t0 = time.monotonic()
    chunks = 0
    for off in range(0, longest, n):
        if args.speed > 0:
            due = (off + n) / rate / args.speed
            delay = t0 + due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        for neuron, v in traces.items():
            if off >= len(v):
                continue
            part = v[off : off + n]
            last = off + len(part) >= len(v)
            sender.send(neuron, part, start_us + int(off * 1e6 / rate), end_of_session=last)
            chunks += 1
    sender.flush()
    print(f"sent {chunks} chunks of {len(traces)} neurons to {args.topic} ({args.encoding})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
