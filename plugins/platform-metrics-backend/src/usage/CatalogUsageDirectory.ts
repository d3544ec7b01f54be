import type { AuthService } from '@backstage/backend-plugin-api';
import {
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeTemplateRef } from './normalizeTemplateRef';
import type { UsageDirectory, UsageTeam } from './UsageDirectory';

/** Templates and teams as the catalog knows them, read with the plugin's own credentials. */
export class CatalogUsageDirectory implements UsageDirectory {
  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
  }): CatalogUsageDirectory {
    return new CatalogUsageDirectory(options.catalog, options.auth);
  }

  async listTemplateRefs(): Promise<string[]> {
    const { items } = await this.catalog.getEntities(
      { filter: { kind: 'Template' }, fields: ['kind', 'metadata'] },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items.flatMap(entity => {
      const ref = normalizeTemplateRef(stringifyEntityRef(entity));
      return ref ? [ref] : [];
    });
  }

  async listTeams(): Promise<UsageTeam[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const [groups, users] = await Promise.all([
      this.catalog.getEntities(
        { filter: { kind: 'Group' }, fields: ['kind', 'metadata'] },
        { credentials },
      ),
      this.catalog.getEntities(
        { filter: { kind: 'User' }, fields: ['relations'] },
        { credentials },
      ),
    ]);
    const members = new Map<string, number>();
    for (const user of users.items) {
      for (const relation of user.relations ?? []) {
        if (relation.type === RELATION_MEMBER_OF) {
          members.set(
            relation.targetRef,
            (members.get(relation.targetRef) ?? 0) + 1,
          );
        }
      }
    }
    return groups.items.map(group => {
      const ref = stringifyEntityRef(group).toLocaleLowerCase('en-US');
      return { ref, members: members.get(ref) ?? 0 };
    });
  }
}
