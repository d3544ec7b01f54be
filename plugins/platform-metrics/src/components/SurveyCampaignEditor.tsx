import { useApi } from '@backstage/frontend-plugin-api';
import type { SurveyCampaign } from '@internal/plugin-platform-metrics-common';
import { Button, Flex, Text, TextAreaField, TextField } from '@backstage/ui';
import { useState } from 'react';
import { platformMetricsApiRef } from '../api';
import { parseCampaignForm, questionsToText } from './parseCampaignForm';
import { ErrorState } from './States';

/** One campaign: its wording while a draft, and opening or closing it. */
export function SurveyCampaignEditor({
  campaign,
  onSaved,
}: {
  campaign: SurveyCampaign;
  onSaved(): void;
}) {
  const api = useApi(platformMetricsApiRef);
  const [title, setTitle] = useState(campaign.title);
  const [questions, setQuestions] = useState(
    questionsToText(campaign.questions),
  );
  const [error, setError] = useState<Error>();
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      onSaved();
    } catch (e) {
      setError(e as Error);
    }
  };
  const draft = campaign.status === 'draft';
  return (
    <Flex direction="column" gap="2">
      <Text weight="bold">
        {campaign.title} ({campaign.quarter}, {campaign.status})
      </Text>
      {draft && (
        <>
          <TextField label="Title" value={title} onChange={setTitle} />
          <TextAreaField
            label="Questions (one a line: id | satisfaction or driver | text)"
            value={questions}
            onChange={setQuestions}
          />
        </>
      )}
      {!draft && (
        <Text variant="body-small" color="secondary">
          Questions can be edited only while a campaign is a draft, so that
          every answer in a campaign refers to the same wording.
        </Text>
      )}
      {error && (
        <ErrorState title="The campaign was not changed" error={error} />
      )}
      <Flex gap="2">
        {draft && (
          <Button
            size="small"
            variant="secondary"
            onPress={() =>
              run(() =>
                api.updateCampaign(
                  campaign.id,
                  parseCampaignForm({ title, questions }),
                ),
              )
            }
          >
            Save
          </Button>
        )}
        {draft && (
          <Button
            size="small"
            onPress={() => run(() => api.openCampaign(campaign.id))}
          >
            Open
          </Button>
        )}
        {campaign.status === 'open' && (
          <Button
            size="small"
            variant="secondary"
            onPress={() => run(() => api.closeCampaign(campaign.id))}
          >
            Close
          </Button>
        )}
      </Flex>
    </Flex>
  );
}
