import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Every long-running process the sandbox starts, so that one `stopAll` ends
 * them whether the run passed, failed or was interrupted. Each process writes
 * its output to its own log file, which a failing step points to.
 */
export class ProcessGroup {
  #running = new Set();

  /**
   * @param {string} name shown in errors
   * @param {string} command
   * @param {string[]} args
   * @param {object} options
   * @param {string} options.logFile
   * @param {string} [options.cwd]
   * @param {Record<string,string>} [options.env] replaces the environment
   * @param {(line: string) => void} [options.onStdoutLine] gets each stdout line
   *   (it is logged too)
   */
  start(name, command, args, { logFile, cwd, env, onStdoutLine }) {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.pipe(log, { end: false });
    if (onStdoutLine) {
      createInterface({ input: child.stdout }).on('line', line => {
        log.write(`${line}\n`);
        onStdoutLine(line);
      });
    } else {
      child.stdout.pipe(log, { end: false });
    }
    const state = { exit: undefined, spawnError: undefined };
    const exited = new Promise(resolveExit => {
      child.on('error', error => {
        state.spawnError = error;
        state.exit = 'error';
        resolveExit(state.exit);
      });
      child.on('exit', (code, signal) => {
        state.exit = code ?? signal;
        resolveExit(state.exit);
      });
    });
    const handle = {
      name,
      logFile,
      pid: child.pid,
      exited,
      get hasExited() {
        return state.exit !== undefined;
      },
      /** Throws, naming the log, when the process has ended. */
      assertRunning() {
        if (state.exit !== undefined) {
          throw new Error(
            `${name} exited (${
              state.spawnError?.message ?? state.exit
            }); see ${logFile}`,
          );
        }
      },
      /** `signal` first, SIGKILL if the process has not ended after `graceMs`. */
      stop: async (signal = 'SIGTERM', graceMs = 10_000) => {
        if (state.exit === undefined) {
          child.kill(signal);
          let timer;
          const late = new Promise(r => {
            timer = setTimeout(() => r('late'), graceMs);
          });
          if ((await Promise.race([exited, late])) === 'late') {
            child.kill('SIGKILL');
            await exited;
          }
          clearTimeout(timer);
        }
        this.#running.delete(handle);
        await new Promise(r => log.end(r));
      },
    };
    this.#running.add(handle);
    return handle;
  }

  /** Stops every process still running, all at once (each one's grace runs in parallel). */
  async stopAll() {
    await Promise.all(
      [...this.#running].map(handle => handle.stop().catch(() => {})),
    );
  }
}
