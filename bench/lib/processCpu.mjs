// CPU time of processes, read from /proc (Linux).
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) a process has used so far; 0 when it is gone.
 * With `children`, also what its children used once they were waited for
 * (git commands a Node process runs, for instance).
 */
export function cpuSeconds(pid, { children = false } = {}) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    const waited = children ? Number(fields[13]) + Number(fields[14]) : 0;
    return (own + waited) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
