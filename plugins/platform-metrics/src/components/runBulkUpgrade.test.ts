import type {
  LogEvent,
  ScaffolderApi,
} from '@backstage/plugin-scaffolder-react';
import { runBulkUpgrade, type UpgradeProgress } from './runBulkUpgrade';

/**
 * A scaffolder double: each task runs until the test finishes it, so the test
 * sees how many run at once.
 */
function fakeScaffolder() {
  const running = new Map<
    string,
    { entity: string; emit: (event: Partial<LogEvent>) => void }
  >();
  let next = 0;
  let maxRunning = 0;
  const api = {
    scaffold: jest.fn(async (req: { values: { entity: string } }) => {
      const taskId = `task-${++next}`;
      running.set(taskId, { entity: req.values.entity, emit: () => {} });
      maxRunning = Math.max(maxRunning, running.size);
      return { taskId };
    }),
    streamLogs: jest.fn(({ taskId }: { taskId: string }) => ({
      subscribe(observer: { next: (e: LogEvent) => void }) {
        running.get(taskId)!.emit = e =>
          observer.next({ taskId, id: 0, createdAt: '', ...e } as LogEvent);
        return { unsubscribe: () => {}, closed: false };
      },
    })),
  };
  const finish = (taskId: string, event: Partial<LogEvent>) => {
    const task = running.get(taskId)!;
    running.delete(taskId);
    task.emit(event);
  };
  const log = (taskId: string, event: Partial<LogEvent>) =>
    running.get(taskId)!.emit(event);
  return {
    api: api as unknown as ScaffolderApi,
    running,
    log,
    maxRunning: () => maxRunning,
    finish,
  };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0));

describe('runBulkUpgrade', () => {
  it('runs at most three upgrades at a time and reports each result', async () => {
    const scaffolder = fakeScaffolder();
    const refs = ['a', 'b', 'c', 'd', 'e'].map(n => `component:default/${n}`);
    const latest = new Map<string, UpgradeProgress>();
    const history: Array<[string, UpgradeProgress]> = [];
    const done = runBulkUpgrade({
      scaffolder: scaffolder.api,
      entityRefs: refs,
      onProgress: (ref, progress) => {
        latest.set(ref, progress);
        history.push([ref, progress]);
      },
    });
    await tick();
    expect(scaffolder.running.size).toBe(3);
    expect(latest.get(refs[4])).toEqual({ state: 'queued' });

    const finishAll = async () => {
      while (scaffolder.running.size > 0) {
        const [taskId, { entity }] = [...scaffolder.running.entries()][0];
        if (entity.endsWith('/b')) {
          scaffolder.log(taskId, {
            type: 'log',
            body: { message: 'Merging', stepId: 'upgrade' },
          });
        }
        const event: Partial<LogEvent> = entity.endsWith('/c')
          ? {
              type: 'completion',
              body: {
                message: 'Run completed with status: failed',
                error: {
                  message: 'component:default/c is already on 1.1.0',
                },
              } as LogEvent['body'],
            }
          : {
              type: 'completion',
              body: {
                message: 'Run completed with status: completed',
                output: {
                  links: [
                    { title: 'Pull request', url: 'https://git.example/pr/1' },
                    {
                      title: 'Open the service in the catalog',
                      entityRef: entity,
                    },
                  ],
                  text: [
                    {
                      title: 'Get the branch',
                      content:
                        'The branch `golden-path/upgrade-to-1.1.0` is on the portal git host',
                    },
                  ],
                },
              } as LogEvent['body'],
            };
        scaffolder.finish(taskId, event);
        await tick();
        expect(scaffolder.running.size).toBeLessThanOrEqual(3);
      }
    };
    await finishAll();
    await done;

    expect(scaffolder.maxRunning()).toBe(3);
    // The step a running task is on, from its log events.
    expect(history).toContainEqual([
      'component:default/b',
      { state: 'running', taskId: expect.any(String), step: 'upgrade' },
    ]);
    expect(scaffolder.api.scaffold).toHaveBeenCalledTimes(5);
    expect(scaffolder.api.scaffold).toHaveBeenCalledWith({
      templateRef: 'template:default/golden-path-upgrade',
      values: { entity: refs[0] },
    });
    expect(latest.get('component:default/c')).toEqual({
      state: 'failed',
      taskId: expect.any(String),
      message: 'component:default/c is already on 1.1.0',
    });
    expect(latest.get('component:default/a')).toEqual({
      state: 'done',
      taskId: expect.any(String),
      links: [{ title: 'Pull request', url: 'https://git.example/pr/1' }],
      branch: 'golden-path/upgrade-to-1.1.0',
    });
    expect([...latest.values()].filter(p => p.state === 'done')).toHaveLength(
      4,
    );
  });

  it('reports a service the scaffolder refuses to start as failed and goes on', async () => {
    const scaffolder = fakeScaffolder();
    (scaffolder.api.scaffold as jest.Mock).mockRejectedValueOnce(
      new Error('Not allowed to run golden-path-upgrade'),
    );
    const latest = new Map<string, UpgradeProgress>();
    const done = runBulkUpgrade({
      scaffolder: scaffolder.api,
      entityRefs: ['component:default/x', 'component:default/y'],
      onProgress: (ref, progress) => latest.set(ref, progress),
    });
    await tick();
    const [taskId] = [...scaffolder.running.keys()];
    scaffolder.finish(taskId, {
      type: 'completion',
      body: {
        message: 'Run completed with status: completed',
        output: {},
      } as LogEvent['body'],
    });
    await done;
    expect(latest.get('component:default/x')).toEqual({
      state: 'failed',
      taskId: undefined,
      message: 'Not allowed to run golden-path-upgrade',
    });
    expect(latest.get('component:default/y')).toMatchObject({ state: 'done' });
  });
});
