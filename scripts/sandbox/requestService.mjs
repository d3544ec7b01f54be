import { until } from './until.mjs';

/**
 * Asks the portal for a new service the way the Create page does: a
 * scaffolder task of the `node-service` golden path, published to the
 * portal's own git host. Resolves with the task once it completed; a failed
 * task throws with its last error.
 */
export async function requestService(portal, { name, owner }) {
  const { id: taskId } = await portal.call('/scaffolder/v2/tasks', {
    method: 'POST',
    body: {
      templateRef: 'template:default/node-service',
      values: { name, owner, tier: 'standard', publishTarget: 'local' },
    },
  });
  const task = await until(
    `scaffolder task ${taskId} to finish`,
    async () => {
      const current = await portal.call(`/scaffolder/v2/tasks/${taskId}`);
      if (['completed', 'failed', 'cancelled'].includes(current.status)) {
        return current;
      }
      throw new Error(`status ${current.status}`);
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  if (task.status !== 'completed') {
    const events = await portal.call(`/scaffolder/v2/tasks/${taskId}/events`);
    const messages = events
      .map(e => e.body?.message)
      .filter(Boolean)
      .slice(-5);
    throw new Error(`task ${task.status}: ${messages.join(' | ')}`);
  }
  return { taskId, task };
}
