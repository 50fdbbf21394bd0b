import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RESULTS_FILE = join(__dirname, '..', 'results.json');

/** The machine a figure was measured on: figures from different machines are not comparable. */
export function machine(): string {
  return `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Stores one bench section in bench/results.json, keeping the other sections' latest figures. */
export function saveSection(section: string, data: unknown): void {
  const all = existsSync(RESULTS_FILE) ? (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as object) : {};
  const next = {
    ...all,
    [section]: { at: new Date().toISOString(), machine: machine(), ...(data as object) },
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(next, null, 2)}\n`);
}

export interface Latency {
  n: number;
  p50: number;
  p99: number;
}

/** p50/p99 in milliseconds of the samples (nearest rank). */
export function latency(samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { n: sorted.length, p50: round(rank(50)), p99: round(rank(99)) };
}

export function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}
