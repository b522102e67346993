import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, renameSync, statSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../errors.js';
import { checkPathText, errnoCode } from '../io/files.js';

export type FinalStatus = 'complete' | 'interrupted' | 'diverged' | 'failed';

/**
 * A run directory that is complete or absent (docs/architecture.md): files are written into a hidden
 * temporary sibling `.<id>.partial` and the directory is renamed at the end, to `<id>` for a
 * complete run or `<id>-interrupted` / `<id>-diverged` / `<id>-failed` otherwise, so that an unfinished run is
 * never passed off as complete.
 */
export class RunDirectory {
  readonly tempPath: string;
  private finalPath: string | null = null;
  private readonly csvFds = new Map<string, number>();

  constructor(readonly parent: string, readonly id: string) {
    checkName(id, 'run id');
    this.tempPath = join(parent, `.${id}.partial`);
    try {
      mkdirSync(parent, { recursive: true });
      mkdirSync(this.tempPath, { recursive: false });
    } catch (err) {
      throw new InputError('output', `must be a directory wpsim can create and write (${errnoCode(err)})`, parent);
    }
  }

  /** A fresh run id: UTC timestamp and seed, with a counter if that id exists. */
  static freshId(parent: string, seed: number, now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const base = `${stamp}-s${seed}`;
    let id = base;
    for (let k = 2; RunDirectory.names(id).some((name) => existsSync(join(parent, name))); k++) {
      id = `${base}-${k}`;
    }
    return id;
  }

  /** Every name the directory of run `id` can have: by final status, and the temporary one. */
  static names(id: string): string[] {
    return [id, `${id}-interrupted`, `${id}-diverged`, `${id}-failed`, `.${id}.partial`];
  }

  writeJson(name: string, value: unknown): void {
    writeFileSync(join(this.tempPath, name), `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Starts a CSV file with its header row. */
  csvStart(name: string, header: readonly string[]): void {
    const fd = openSync(join(this.tempPath, name), 'w');
    this.csvFds.set(name, fd);
    writeSync(fd, stringify([header as string[]]));
  }

  /** Appends rows (written through at once: an interrupted run keeps every complete row). */
  csvRows(name: string, rows: readonly (readonly (number | string)[])[]): void {
    const fd = this.csvFds.get(name);
    if (fd === undefined) throw new Error(`csvRows: ${name} was not started`);
    writeSync(fd, stringify(rows as (number | string)[][]));
  }

  /** Closes the files and renames the directory by status; returns the final path. */
  finish(status: FinalStatus): string {
    for (const fd of this.csvFds.values()) closeSync(fd);
    this.csvFds.clear();
    const name = status === 'complete' ? this.id : `${this.id}-${status}`;
    this.finalPath = join(this.parent, name);
    renameSync(this.tempPath, this.finalPath);
    return this.finalPath;
  }
}

/**
 * Checks an output directory before anything is written (docs/formats.md, "Limits"): a
 * non-empty path without NUL, of bounded length, that is a writable directory or can be created
 * as one (its nearest existing ancestor is a writable directory, not a file). `field` names
 * where the path came from: `--out`, `output`, … Returns the resolved path.
 */
export function checkOutputDir(path: string, field: string): string {
  checkPathText(path, field);
  const full = resolve(path);
  let at = full;
  for (;;) {
    const stat = statOrNull(at, field);
    if (stat !== null) {
      if (!stat.isDirectory()) {
        const what = stat.isFile() ? 'a file' : 'a device or other special file';
        throw new InputError(field, at === full ? `must be a directory, not ${what}` : `must not lie below ${what} (${at})`, path);
      }
      try {
        accessSync(at, constants.W_OK | constants.X_OK);
      } catch {
        throw new InputError(field, at === full ? 'must be a writable directory' : `must be creatable: ${at} is not writable`, path);
      }
      return full;
    }
    const up = dirname(at);
    if (up === at) return full;
    at = up;
  }
}

/**
 * Checks an output file path (e.g. `--csv`): non-empty, no NUL, a regular file or absent, in an
 * existing writable directory. Returns the resolved path.
 */
export function checkOutputFile(path: string, field: string): string {
  checkPathText(path, field);
  const full = resolve(path);
  const stat = statOrNull(full, field);
  if (stat !== null && !stat.isFile()) throw new InputError(field, 'must be a regular file (or not exist yet)', path);
  const parent = statOrNull(dirname(full), field);
  if (parent === null || !parent.isDirectory()) throw new InputError(field, 'must be in an existing directory', path);
  try {
    accessSync(dirname(full), constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(field, 'must be in a writable directory', path);
  }
  return full;
}

/**
 * The directory that holds a scenario's runs, `<output>/<name>`, resolved and checked to lie
 * inside the requested output directory whatever `name` holds.
 */
export function runParentDir(output: string, name: string): string {
  const base = resolve(output);
  checkName(name, 'name');
  const parent = resolve(base, name);
  const rel = relative(base, parent);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new InputError('name', 'must keep runs inside the output directory', name);
  return parent;
}

/** A single path component: not empty, not "." or "..", no "/" and no NUL. */
function checkName(name: string, field: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\u0000') || Buffer.byteLength(name) > 255) {
    throw new InputError(field, 'must be one path component (no "/", not "." or "..", at most 255 bytes)', name);
  }
}

function statOrNull(path: string, field: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return null; // a parent is a file: found when walking up
    throw new InputError(field, `must be a usable path (${code})`, path);
  }
}
