// Resident memory of the benchmarked backends, read from /proc (Linux).
import { readFileSync } from 'node:fs';

/** A process's resident set size in MiB; NaN once it has exited. */
export function rssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

/**
 * Samples a process's RSS every `intervalMs` until the returned function is
 * called, which takes a last sample and returns them all (MiB).
 */
export function sampleRss(pid, intervalMs = 250) {
  const samples = [];
  const take = () => {
    const mib = rssMiB(pid);
    if (Number.isFinite(mib)) samples.push(mib);
  };
  const timer = setInterval(take, intervalMs);
  return () => {
    clearInterval(timer);
    take();
    return samples;
  };
}
