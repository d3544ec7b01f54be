/** A page of a built TechDocs site, as the TechDocs reader fetches it. */
export interface TechDocsPage {
  status: number;
  /** The text of the page's first heading, the title the reader shows. */
  title?: string;
  html: string;
}

export interface TechDocsSite {
  /** The page at `path` (e.g. `runbooks/high-latency/`) of the site. */
  page(path: string): Promise<TechDocsPage>;
}

/**
 * Builds an entity's docs through the TechDocs backend at `baseUrl`, the way
 * the reader does when someone opens them (`/sync`, which prepares, generates
 * with mkdocs and publishes), and reads its pages from the published site.
 * Throws with the build log when the build fails.
 */
export async function buildTechDocs(
  baseUrl: string,
  entity: { kind: string; name: string; namespace?: string },
): Promise<TechDocsSite> {
  const triplet = `${entity.namespace ?? 'default'}/${entity.kind}/${
    entity.name
  }`.toLocaleLowerCase('en-US');
  const sync = await fetch(`${baseUrl}/api/techdocs/sync/${triplet}`, {
    headers: { accept: 'text/event-stream' },
  });
  // The stream ends after its `finish` or `error` event.
  const events = await sync.text();
  if (!/^event: finish\ndata: \{"updated":true\}$/m.test(events)) {
    throw new Error(`TechDocs did not build ${triplet}:\n${events}`);
  }
  return {
    async page(pagePath) {
      const response = await fetch(
        `${baseUrl}/api/techdocs/static/docs/${triplet}/${pagePath}index.html`,
      );
      const html = await response.text();
      const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1];
      return {
        status: response.status,
        title: heading?.replace(/<[^>]+>/g, '').trim(),
        html,
      };
    },
  };
}
