import { createCipheriv, createHmac, pbkdf2Sync } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';

/**
 * A ZIP reader written for the tests from the format's published descriptions (PKWARE APPNOTE for
 * the structure, WinZip's AE-1/AE-2 notes for AES), on Node's own crypto and zlib: an independent
 * check of the archives the worker writes with @zip.js/zip.js, which must not grade its own work.
 * It reads what 7-Zip and bsdtar read: central directory, local headers, deflate or stored data,
 * AES-256 entries (PBKDF2-HMAC-SHA1, 1000 rounds; AES-CTR with a little-endian counter from 1;
 * HMAC-SHA1-80 over the ciphertext).
 */
export interface InspectedEntry {
  name: string;
  /** Compression method of the data (8 deflate, 0 stored), after AES is unwrapped. */
  method: number;
  /** WinZip AES extra field (0x9901), when the entry is AES-encrypted. */
  aes?: { version: number; vendor: string; strength: number };
  /** General purpose flag bit 0. */
  encrypted: boolean;
  /** MS-DOS date/time of the entry as a UTC-agnostic `YYYY-MM-DD HH:MM:SS`. */
  modified: string;
  compressedSize: number;
  size: number;
  data: Buffer;
}

export class ZipFormatError extends Error {}

export function inspectZip(zip: Buffer, password?: string): InspectedEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) {
    throw new ZipFormatError('no end of central directory record');
  }
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: InspectedEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (zip.readUInt32LE(at) !== 0x02014b50) {
      throw new ZipFormatError(`no central directory header at ${at}`);
    }
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const time = zip.readUInt16LE(at + 12);
    const date = zip.readUInt16LE(at + 14);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    at += 46 + nameLength + extraLength + commentLength;

    if (zip.readUInt32LE(localAt) !== 0x04034b50) {
      throw new ZipFormatError(`no local header for ${name}`);
    }
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    let raw = zip.subarray(dataAt, dataAt + compressedSize);
    let dataMethod = method;
    const aes = aesExtra(extra);
    if (method === 99) {
      if (aes === undefined) {
        throw new ZipFormatError(`${name}: method 99 without the AES extra field`);
      }
      if (password === undefined) {
        throw new ZipFormatError(`${name} is encrypted and no password was given`);
      }
      raw = decryptAes(raw, password, aes.strength, name);
      dataMethod = aes.method;
    }
    const data = dataMethod === 8 ? inflateRawSync(raw) : dataMethod === 0 ? Buffer.from(raw) : undefined;
    if (data === undefined) {
      throw new ZipFormatError(`${name}: unsupported method ${dataMethod}`);
    }
    if (data.length !== size) {
      throw new ZipFormatError(`${name}: ${data.length} bytes, the directory says ${size}`);
    }
    // AE-2 stores no CRC (the HMAC authenticates instead); everything else must match it.
    if (!(aes?.version === 2) && crc32(data) !== crc) {
      throw new ZipFormatError(`${name}: CRC mismatch`);
    }
    entries.push({
      name,
      method: dataMethod,
      ...(aes !== undefined ? { aes: { version: aes.version, vendor: aes.vendor, strength: aes.strength } } : {}),
      encrypted: (flags & 1) === 1,
      modified: dosDateTime(date, time),
      compressedSize,
      size,
      data,
    });
  }
  return entries;
}

function aesExtra(extra: Buffer): { version: number; vendor: string; strength: number; method: number } | undefined {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === 0x9901) {
      return { version: extra.readUInt16LE(p + 4), vendor: extra.toString('ascii', p + 6, p + 8), strength: extra.readUInt8(p + 8), method: extra.readUInt16LE(p + 9) };
    }
    p += 4 + length;
  }
  return undefined;
}

function decryptAes(raw: Buffer, password: string, strength: number, name: string): Buffer {
  const keyLength = [0, 16, 24, 32][strength];
  if (keyLength === undefined || keyLength === 0) {
    throw new ZipFormatError(`${name}: unknown AES strength ${strength}`);
  }
  const saltLength = keyLength / 2;
  const salt = raw.subarray(0, saltLength);
  const verifier = raw.subarray(saltLength, saltLength + 2);
  const cipherText = raw.subarray(saltLength + 2, raw.length - 10);
  const mac = raw.subarray(raw.length - 10);
  const derived = pbkdf2Sync(password, salt, 1000, 2 * keyLength + 2, 'sha1');
  if (!derived.subarray(2 * keyLength).equals(verifier)) {
    throw new ZipFormatError(`${name}: wrong password`);
  }
  if (!createHmac('sha1', derived.subarray(keyLength, 2 * keyLength)).update(cipherText).digest().subarray(0, 10).equals(mac)) {
    throw new ZipFormatError(`${name}: authentication code mismatch`);
  }
  const block = createCipheriv(`aes-${keyLength * 8}-ecb`, derived.subarray(0, keyLength), null);
  block.setAutoPadding(false);
  const plain = Buffer.alloc(cipherText.length);
  for (let offset = 0, counter = 1; offset < cipherText.length; offset += 16, counter += 1) {
    const counterBlock = Buffer.alloc(16);
    counterBlock.writeUInt32LE(counter, 0);
    const stream = block.update(counterBlock);
    for (let j = 0; j < 16 && offset + j < cipherText.length; j += 1) {
      plain[offset + j] = (cipherText[offset + j] ?? 0) ^ (stream[j] ?? 0);
    }
  }
  return plain;
}

function dosDateTime(date: number, time: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${1980 + (date >> 9)}-${pad((date >> 5) & 15)}-${pad(date & 31)} ${pad(time >> 11)}:${pad((time >> 5) & 63)}:${pad((time & 31) * 2)}`;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
