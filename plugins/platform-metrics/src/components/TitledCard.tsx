import type { ReactNode } from 'react';
import { Card, CardBody, CardHeader, Text } from '@backstage/ui';

/** A card with a section heading; `label` names it for assistive tech when the title is long or dynamic. */
export function TitledCard({
  title,
  label,
  children,
}: {
  title: ReactNode;
  label?: string;
  children: ReactNode;
}) {
  return (
    <Card aria-label={label ?? (typeof title === 'string' ? title : undefined)}>
      <CardHeader>
        <Text as="h2" variant="title-small">
          {title}
        </Text>
      </CardHeader>
      <CardBody>{children}</CardBody>
    </Card>
  );
}
