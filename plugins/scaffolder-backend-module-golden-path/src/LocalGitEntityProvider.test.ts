import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalGitEntityProvider } from './LocalGitEntityProvider';

describe('LocalGitEntityProvider', () => {
  let root: string;
  const connection = { applyMutation: jest.fn(), refresh: jest.fn() };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-git-provider-'));
    connection.applyMutation.mockReset();
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const checkout = (name: string) => {
    const dir = path.join(root, 'checkouts', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), 'kind: Component\n');
    return path.join(dir, 'catalog-info.yaml');
  };

  it('re-emits every published checkout when the catalog connects', async () => {
    const target = checkout('orders');
    fs.mkdirSync(path.join(root, 'checkouts', 'half-published'));
    const provider = new LocalGitEntityProvider(root);
    await provider.connect(connection);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [
        {
          locationKey: `golden-path-local-git:${target}`,
          entity: expect.objectContaining({
            kind: 'Location',
            metadata: expect.objectContaining({ name: 'golden-path-orders' }),
            spec: { type: 'file', target },
          }),
        },
      ],
    });
  });

  it('adds one location per registered checkout', async () => {
    const provider = new LocalGitEntityProvider(root);
    await provider.connect(connection);
    const target = checkout('payments');
    await expect(provider.register(target)).resolves.toBe(`file:${target}`);
    expect(connection.applyMutation).toHaveBeenLastCalledWith({
      type: 'delta',
      added: [
        expect.objectContaining({
          locationKey: `golden-path-local-git:${target}`,
        }),
      ],
      removed: [],
    });
  });

  it.each([
    ['/etc/passwd'],
    ['checkouts/../../outside/catalog-info.yaml'],
    ['checkouts/orders/nested/catalog-info.yaml'],
    ['checkouts/orders/other.yaml'],
  ])('refuses to register %s', async target => {
    const provider = new LocalGitEntityProvider(root);
    await provider.connect(connection);
    connection.applyMutation.mockReset();
    await expect(provider.register(path.resolve(root, target))).rejects.toThrow(
      /is not the catalog-info.yaml of a checkout on the local git host/,
    );
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });
});
