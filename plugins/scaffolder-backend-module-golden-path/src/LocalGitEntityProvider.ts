import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Feeds the catalog one `file` Location per service published on the local
 * git host, pointing at the checkout kept next to its bare repository.
 *
 * The catalog API only registers `url` locations, and allowing `file` there
 * would let any caller make the catalog read files anywhere on the backend
 * host. This provider can only emit checkouts of the local git host.
 */
export class LocalGitEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly checkoutsDirectory: string;

  constructor(localGitDirectory: string) {
    this.checkoutsDirectory = path.join(localGitDirectory, 'checkouts');
  }

  getProviderName(): string {
    return 'golden-path-local-git';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    // Services published before a restart stay in the catalog.
    const names = await fs.readdir(this.checkoutsDirectory).catch(() => []);
    const entities = [];
    for (const name of names) {
      const target = path.join(
        this.checkoutsDirectory,
        name,
        'catalog-info.yaml',
      );
      if (
        await fs.stat(target).then(
          s => s.isFile(),
          () => false,
        )
      ) {
        entities.push(this.toDeferred(target));
      }
    }
    await connection.applyMutation({ type: 'full', entities });
  }

  /** Adds the checkout's catalog-info.yaml to the catalog; repeating it is harmless. */
  async register(catalogInfoPath: string): Promise<string> {
    const target = path.resolve(catalogInfoPath);
    const relative = path.relative(this.checkoutsDirectory, target);
    if (
      relative.startsWith('..') ||
      path.isAbsolute(relative) ||
      relative.split(path.sep).length !== 2 ||
      path.basename(target) !== 'catalog-info.yaml'
    ) {
      throw new Error(
        `${catalogInfoPath} is not the catalog-info.yaml of a checkout on the local git host`,
      );
    }
    if (!this.connection) {
      throw new Error(
        'The catalog has not connected to the local git host yet',
      );
    }
    await this.connection.applyMutation({
      type: 'delta',
      added: [this.toDeferred(target)],
      removed: [],
    });
    return `file:${target}`;
  }

  private toDeferred(target: string) {
    const service = path.basename(path.dirname(target));
    const locationRef = `file:${target}`;
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: {
        name: `golden-path-${service}`,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': locationRef,
          'backstage.io/managed-by-origin-location': locationRef,
        },
      },
      spec: { type: 'file', target },
    };
    return { entity, locationKey: `golden-path-local-git:${target}` };
  }
}
