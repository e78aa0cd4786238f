import { Alert, Button, Code, Group, Paper, Text, Title } from '@mantine/core';
import { ErrorNote } from '../../components/states';
import { useTestDelivery } from './queries';

/**
 * "Send test delivery": first the final request, every macro filled with a sample value (nothing
 * sent), then, on the operator's word, the real send; the test is logged in the delivery log, marked test.
 */
export function TestDeliveryPanel({ sourceId }: { sourceId: string }) {
  const shown = useTestDelivery(sourceId);
  const sent = useTestDelivery(sourceId);
  return (
    <Paper withBorder p="sm">
      <Title order={3} size="h5" mb="xs">
        Send test delivery
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Sends one made-up conversion to this source, exactly as a real delivery is sent, every macro filled with a sample value. It appears in the delivery log
        marked test. A source with a forwarding target (Meta, Google Ads, TikTok) gets the target&apos;s request in the platform&apos;s test mode.
      </Text>
      <Group>
        <Button variant="light" onClick={() => shown.mutate({ dryRun: true })} loading={shown.isPending}>
          Show the request
        </Button>
        <Button onClick={() => sent.mutate({})} loading={sent.isPending} disabled={!shown.data?.request}>
          Send test delivery
        </Button>
      </Group>
      <ErrorNote error={shown.error ?? sent.error} />
      {shown.data && !shown.data.request && !sent.data && (
        <Alert mt="sm" color="yellow" title="Nothing would be sent" data-testid="test-delivery-request">
          <Text size="sm">{shown.data.error}</Text>
        </Alert>
      )}
      {shown.data?.request && !sent.data && (
        <Alert mt="sm" color="blue" title="This request will be sent" data-testid="test-delivery-request">
          <Text size="sm">
            {shown.data.request.method} <Code>{shown.data.request.url}</Code>
            {shown.data.request.signed ? ' · signed' : ''}
          </Text>
          {shown.data.request.body && (
            <Code block mt="xs">
              {shown.data.request.body}
            </Code>
          )}
        </Alert>
      )}
      {sent.data && (
        <Alert
          mt="sm"
          color={sent.data.ok ? 'teal' : 'red'}
          title={sent.data.ok ? `The source accepted it (HTTP ${sent.data.statusCode})` : `The source refused it: ${sent.data.error ?? sent.data.statusCode}`}
          data-testid="test-delivery-result"
        >
          {sent.data.request && (
            <>
              <Text size="sm">
                {sent.data.request.method} <Code>{sent.data.request.url}</Code> · {sent.data.latencyMs} ms{sent.data.request.signed ? ' · signed' : ''}
              </Text>
              <Code block mt="xs">
                {sent.data.responseExcerpt || '(empty body)'}
              </Code>
            </>
          )}
        </Alert>
      )}
    </Paper>
  );
}
