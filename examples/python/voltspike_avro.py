"""Avro single-object encoding as VoltSpike's topics use it, shared by the examples.

A record is the marker C3 01, the writer schema's 8-byte CRC-64-AVRO fingerprint (little endian)
and the Avro binary body; no schema registry is involved. The schemas are the files in schemas/.
"""
import os

MARKER = b"\xc3\x01"
_EMPTY = 0xC15D213AA4D7A795
_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY & -(_fp & 1))
    _TABLE.append(_fp)


def fingerprint64(data: bytes) -> int:
    """CRC-64-AVRO (Rabin) of a schema's parsing canonical form, as the Avro spec defines it."""
    fp = _EMPTY
    for b in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


def schema_file(name: str) -> str:
    """The path of schemas/NAME.avsc in this repository."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "..", "..", "schemas", name + ".avsc")
