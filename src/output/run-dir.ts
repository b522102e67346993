import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';

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
    mkdirSync(parent, { recursive: true });
    this.tempPath = join(parent, `.${id}.partial`);
    mkdirSync(this.tempPath, { recursive: false });
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
