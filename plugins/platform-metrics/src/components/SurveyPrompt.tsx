import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  Button,
  ButtonLink,
  Card,
  CardBody,
  CardFooter,
  Flex,
  Text,
} from '@backstage/ui';
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { platformMetricsApiRef } from '../api';
import { rootRouteRef } from '../routes';

/**
 * Shown on every page while a campaign is open and the signed-in user has not
 * answered. It renders outside the sign-in gate, so it checks again on each
 * navigation until it gets an answer, and again after the survey page.
 */
export function SurveyPrompt() {
  const api = useApi(platformMetricsApiRef);
  const rootLink = useRouteRef(rootRouteRef);
  const { pathname } = useLocation();
  const [open, setOpen] = useState<{ title: string } | 'settled'>();
  const [dismissed, setDismissed] = useState(false);
  const surveyPath = rootLink ? `${rootLink()}/survey` : undefined;
  const onSurveyPage = !!surveyPath && pathname.startsWith(surveyPath);
  // Not `open` itself: each answer sets a new object, which would ask again at
  // once, and again, for as long as the prompt is shown.
  const settled = open === 'settled';

  useEffect(() => {
    if (dismissed || settled || onSurveyPage) return undefined;
    let cancelled = false;
    api.getCurrentSurvey().then(
      current => {
        if (cancelled) return;
        setOpen(
          current.campaign && !current.answered
            ? { title: current.campaign.title }
            : 'settled',
        );
      },
      // Not signed in yet: the next navigation asks again.
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, pathname, dismissed, settled, onSurveyPage]);

  if (!open || open === 'settled' || dismissed || onSurveyPage || !surveyPath) {
    return null;
  }

  return (
    <div
      role="complementary"
      aria-label="Survey prompt"
      style={{
        position: 'fixed',
        right: 24,
        bottom: 24,
        zIndex: 1200,
        width: 360,
      }}
    >
      <Card>
        <CardBody>
          <Flex direction="column" gap="1">
            <Text weight="bold">{open.title} is open</Text>
            <Text variant="body-small">
              Two minutes, anonymous: tell the platform team how the platform
              works for you.
            </Text>
          </Flex>
        </CardBody>
        <CardFooter>
          <Flex gap="2" justify="end">
            <Button
              size="small"
              variant="tertiary"
              onPress={() => setDismissed(true)}
            >
              Later
            </Button>
            <ButtonLink
              size="small"
              variant="primary"
              href={surveyPath}
              onPress={() => setOpen(undefined)}
            >
              Answer the survey
            </ButtonLink>
          </Flex>
        </CardFooter>
      </Card>
    </div>
  );
}
