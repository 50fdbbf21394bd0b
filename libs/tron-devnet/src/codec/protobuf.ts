/**
 * A minimal protobuf (proto3 wire format) reader and writer for the handful of TRON messages the devnet
 * handles: Transaction, Transaction.raw, Transaction.Contract, google.protobuf.Any, TriggerSmartContract and
 * TransferContract. Fields are written in field-number order and defaults are omitted, exactly as
 * google-protobuf (and therefore TronWeb and java-tron) serialise them; codec specs check byte equality
 * against TronWeb's own encoder.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export class ProtoWriter {
  private readonly chunks: Buffer[] = [];
  private length = 0;

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  private varint(value: bigint): void {
    if (value < 0n) value = BigInt.asUintN(64, value);
    const out: number[] = [];
    while (value > 0x7fn) {
      out.push(Number(value & 0x7fn) | 0x80);
      value >>= 7n;
    }
    out.push(Number(value));
    this.push(Buffer.from(out));
  }

  private smallVarint(value: number): void {
    const out: number[] = [];
    while (value > 0x7f) {
      out.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    out.push(value);
    this.push(Buffer.from(out));
  }

  private tag(field: number, wire: number): void {
    this.smallVarint(field * 8 + wire);
  }

  /** int64/uint64/enum field; omitted when zero (proto3 default). */
  int(field: number, value: bigint | number | undefined): this {
    if (value === undefined) return this;
    const v = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
    if (v === 0n) return this;
    this.tag(field, WIRE_VARINT);
    if (v > 0n && v < 0x20000000000000n) this.smallVarint(Number(v));
    else this.varint(v);
    return this;
  }

  /** bytes/string/message field; omitted when empty. */
  bytes(field: number, value: Uint8Array | undefined): this {
    if (!value || value.length === 0) return this;
    this.tag(field, WIRE_BYTES);
    this.smallVarint(value.length);
    this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return this;
  }

  /** Embedded message written even when empty (repeated message entries). */
  message(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_BYTES);
    this.smallVarint(value.length);
    this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return this;
  }

  string(field: number, value: string | undefined): this {
    return value ? this.bytes(field, Buffer.from(value, 'utf8')) : this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

export interface ProtoField {
  field: number;
  wire: number;
  /** varint value (as bigint) for wire type 0 */
  int: bigint;
  /** payload for wire type 2 */
  bytes: Buffer;
}

export class ProtoDecodeError extends Error {}

/** Iterates the fields of one message. Unknown wire types 1 and 5 are skipped. */
export function* readFields(buf: Buffer): Generator<ProtoField> {
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new ProtoDecodeError('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new ProtoDecodeError('varint too long');
    }
  };
  const empty = Buffer.alloc(0);
  while (pos < buf.length) {
    const key = Number(readVarint());
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 0) throw new ProtoDecodeError('field number 0');
    switch (wire) {
      case WIRE_VARINT:
        yield { field, wire, int: readVarint(), bytes: empty };
        break;
      case WIRE_BYTES: {
        const len = Number(readVarint());
        if (pos + len > buf.length) throw new ProtoDecodeError('truncated bytes');
        const bytes = buf.subarray(pos, pos + len);
        pos += len;
        yield { field, wire, int: 0n, bytes };
        break;
      }
      case WIRE_FIXED64:
        pos += 8;
        break;
      case WIRE_FIXED32:
        pos += 4;
        break;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wire}`);
    }
    if (pos > buf.length) throw new ProtoDecodeError('truncated message');
  }
}
