/**
 * Stops a replica started by prodBackend.mjs: SIGTERM first (graceful, like a
 * rolling deploy), SIGKILL if it has not exited within `graceMs`, so a
 * scenario never leaves a process behind.
 */
export async function stopBackend(backend, graceMs = 5000) {
  if (!backend) return;
  let timer;
  const graceful = backend.stop('SIGTERM');
  const timedOut = new Promise(resolve => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  if ((await Promise.race([graceful, timedOut])) === 'timeout') {
    backend.process.kill('SIGKILL');
    await graceful;
  }
  clearTimeout(timer);
}
