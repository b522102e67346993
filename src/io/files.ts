import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { LIMITS } from './limits.js';

/**
 * Reads an input file as UTF-8 text: a regular file only (not a directory, device or FIFO),
 * at most `maxBytes` long, checked before its content is read (docs/formats.md, "Limits").
 * The file is opened without blocking (a FIFO would otherwise wait for a writer) and checked on
 * the open descriptor; reading stops one byte past the limit, so /dev/zero-like files and
 * files that grow are caught too. `field` names the argument or option that gave the path.
 */
export function readInputFile(path: string, field: string, maxBytes: number = LIMITS.fileBytes): string {
  checkPathText(path, field);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(field, `must be a readable file (${errnoCode(err)})`, path);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory'
        : stat.isFIFO() ? 'a FIFO'
          : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'a socket or other special file';
      throw new InputError(field, `must be a regular file, not ${kind}`, path);
    }
    if (stat.size > maxBytes) throw tooBig(field, path, maxBytes, `${stat.size} bytes`);
    // stat.size is 0 for /proc files: read in chunks up to one byte past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 65_536), maxBytes + 1 - total));
      let got: number;
      try {
        got = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw new InputError(field, `must be a readable file (${errnoCode(err)})`, path);
      }
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      total += got;
      if (total > maxBytes) throw tooBig(field, path, maxBytes, `more than ${maxBytes} bytes`);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total));
    } catch {
      throw new InputError(field, 'must be UTF-8 text (JSON)', path);
    }
  } finally {
    closeSync(fd);
  }
}

function tooBig(field: string, path: string, maxBytes: number, size: string): InputError {
  return new InputError(field, `must be a file of at most ${maxBytes} bytes (docs/formats.md, "Limits"); it has ${size}`, path);
}

/** Rules every path argument obeys before it reaches the file system: non-empty, no NUL, bounded. */
export function checkPathText(path: string, field: string): void {
  if (typeof path !== 'string' || path === '') throw new InputError(field, 'must name a path (it is empty)', path);
  if (path.includes('\u0000')) throw new InputError(field, 'must not contain a NUL byte', path);
  if (Buffer.byteLength(path) > 4096) throw new InputError(field, 'must be a path of at most 4096 bytes', `${Buffer.byteLength(path)} bytes`);
  const long = path.split('/').find((part) => Buffer.byteLength(part) > 255);
  if (long !== undefined) throw new InputError(field, 'must have path components of at most 255 bytes', `a component of ${Buffer.byteLength(long)} bytes`);
}

export function errnoCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'unreadable';
}
