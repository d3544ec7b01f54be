import { useApi } from '@backstage/frontend-plugin-api';
import { Button, Flex, TextField } from '@backstage/ui';
import { useState } from 'react';
import { platformMetricsApiRef } from '../api';
import { parseCampaignForm } from './parseCampaignForm';
import { EmptyState, ErrorState, LoadingState } from './States';
import { SurveyCampaignEditor } from './SurveyCampaignEditor';
import { TitledCard } from './TitledCard';
import { useAsyncData } from './useAsyncData';

/** Every survey campaign, newest first, and a new draft. */
export function SurveyCampaignsCard() {
  const api = useApi(platformMetricsApiRef);
  const campaigns = useAsyncData(() => api.listCampaigns(), [api]);
  const [newTitle, setNewTitle] = useState('');
  const [createError, setCreateError] = useState<Error>();

  let list;
  if (campaigns.error) {
    list = (
      <ErrorState
        title="Campaigns could not be loaded"
        error={campaigns.error}
        onRetry={campaigns.retry}
      />
    );
  } else if (!campaigns.value) {
    list = <LoadingState label="Loading campaigns" />;
  } else if (campaigns.value.items.length === 0) {
    list = (
      <EmptyState title="No campaigns yet">
        Create the first one below; it starts as a draft with the default
        questions, which you can edit before opening it.
      </EmptyState>
    );
  } else {
    list = campaigns.value.items
      .slice()
      .reverse()
      .map(c => (
        <SurveyCampaignEditor
          key={c.id}
          campaign={c}
          onSaved={campaigns.retry}
        />
      ));
  }
  return (
    <TitledCard title="Survey campaigns">
      <Flex direction="column" gap="4">
        {list}
        <Flex gap="2" align="end">
          <TextField
            label="New campaign title"
            value={newTitle}
            onChange={setNewTitle}
          />
          <Button
            size="small"
            isDisabled={!newTitle.trim()}
            onPress={async () => {
              setCreateError(undefined);
              try {
                const { title } = parseCampaignForm({ title: newTitle });
                await api.createCampaign({ title });
                setNewTitle('');
                campaigns.retry();
              } catch (e) {
                setCreateError(e as Error);
              }
            }}
          >
            Create draft
          </Button>
        </Flex>
        {createError && (
          <ErrorState
            title="The campaign was not created"
            error={createError}
          />
        )}
      </Flex>
    </TitledCard>
  );
}
