import { useApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardHeader,
  Flex,
  Radio,
  RadioGroup,
  Text,
  TextAreaField,
} from '@backstage/ui';
import { useState } from 'react';
import { platformMetricsApiRef } from '../api';
import { EmptyState, ErrorState, LoadingState } from './States';
import { SurveyResultsView } from './SurveyResultsView';
import { useAsyncData } from './useAsyncData';

const SCALE = [
  { value: '1', label: '1 – strongly disagree' },
  { value: '2', label: '2' },
  { value: '3', label: '3' },
  { value: '4', label: '4' },
  { value: '5', label: '5 – strongly agree' },
];

function AnonymityStatement({
  minimumGroupSize,
}: {
  minimumGroupSize: number;
}) {
  return (
    <Alert
      status="info"
      icon
      title="Your answers are anonymous"
      description={
        <Text as="div">
          Your answers are stored without your name or any id. The portal keeps
          only a one-way mark that you have taken part, so you cannot answer
          twice, and it is never stored next to your answers. Everyone signed in
          sees the results per team; the platform team also sees comments. A
          team's results, and its comments, are shown only when at least{' '}
          <strong>{minimumGroupSize}</strong> people in it answered; a group is
          also hidden when showing it would let a smaller one be worked out by
          subtraction.
        </Text>
      }
    />
  );
}

/** The quarterly survey: answer once, then see the thank-you state. */
export function SurveyPage() {
  const api = useApi(platformMetricsApiRef);
  const current = useAsyncData(() => api.getCurrentSurvey(), [api]);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [comment, setComment] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<Error>();
  const [done, setDone] = useState<'thanks' | 'already' | undefined>();

  if (current.error) {
    return (
      <ErrorState
        title="The survey could not be loaded"
        error={current.error}
        onRetry={current.retry}
      />
    );
  }
  if (!current.value) return <LoadingState label="Loading survey" />;
  const { campaign, answered, minimumGroupSize } = current.value;

  const results = <SurveyResultsView />;
  if (!campaign) {
    return (
      <Flex direction="column" gap="4">
        <EmptyState title="No survey is open right now">
          The platform team opens one campaign per quarter; you will see a
          prompt in the portal while it is open.
        </EmptyState>
        {results}
      </Flex>
    );
  }
  if (done === 'thanks') {
    return (
      <Flex direction="column" gap="4">
        <Alert
          status="success"
          icon
          title="Thank you — your answers are in"
          description="Results are published per team once the campaign closes and enough people have answered."
        />
        {results}
      </Flex>
    );
  }
  if (answered || done === 'already') {
    return (
      <Flex direction="column" gap="4">
        <Alert
          status="info"
          icon
          title={`You have already answered "${campaign.title}"`}
          description="Each person answers once per campaign. Thank you for taking part."
        />
        {results}
      </Flex>
    );
  }

  const complete = campaign.questions.every(q => answers[q.id] !== undefined);
  const submit = async () => {
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      await api.submitSurveyResponse(campaign.id, {
        answers,
        comment: comment.trim() || undefined,
      });
      setDone('thanks');
    } catch (e) {
      if (e instanceof ResponseError && e.statusCode === 409) {
        setDone('already');
      } else {
        setSubmitError(e as Error);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card aria-label="Developer survey">
      <CardHeader>
        <Text as="h1" variant="title-medium">
          {campaign.title}
        </Text>
      </CardHeader>
      <CardBody>
        <Flex direction="column" gap="4">
          <AnonymityStatement minimumGroupSize={minimumGroupSize} />
          {campaign.questions.map(question => (
            <RadioGroup
              key={question.id}
              label={question.text}
              orientation="horizontal"
              value={answers[question.id]?.toString() ?? null}
              onChange={v =>
                setAnswers(a => ({ ...a, [question.id]: Number(v) }))
              }
            >
              {SCALE.map(option => (
                <Radio key={option.value} value={option.value}>
                  {option.label}
                </Radio>
              ))}
            </RadioGroup>
          ))}
          <TextAreaField
            label="Anything else? (optional)"
            value={comment}
            onChange={setComment}
            maxLength={2000}
          />
          {submitError && (
            <ErrorState
              title="Your answers could not be sent"
              error={submitError}
            />
          )}
          <Flex gap="2" align="center">
            <Button
              variant="primary"
              isDisabled={!complete || submitting}
              onPress={submit}
            >
              Send answers
            </Button>
            {!complete && (
              <Text variant="body-small" color="secondary">
                Answer every item to send.
              </Text>
            )}
          </Flex>
        </Flex>
      </CardBody>
    </Card>
  );
}
