import { Alert, Button, CopyButton, Group, Stack, Table, Text } from '@mantine/core';
import { CopyField } from '../../components/CopyField';
import type { Campaign } from './queries';

const TARGET_NAMES: Record<string, string> = { external_id: 'click id', cost: 'cost' };

/**
 * The campaign's link as the traffic source must receive it, built by the server from the source's
 * tokens: the whole link to copy, each parameter with its own copy button (for sources whose form
 * takes them one by one), and a warning for each required token the source does not map.
 */
export function CampaignLink({ campaign }: { campaign: Campaign }) {
  const query = campaign.clickUrl.slice(campaign.clickUrl.indexOf('?') + 1);
  const params = query ? query.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const) : [];
  const meaning = (name: string) =>
    name === campaign.externalIdParam ? 'click id' : name === campaign.costParam && campaign.costModel === 'auto' ? 'cost' : name;
  return (
    <Stack gap="xs">
      <CopyField
        label="Campaign link"
        value={campaign.clickUrl}
        description={`Give this link to the traffic source as it is: it fills each macro at click time. The click id comes back to the source as {external_id} (parameter "${campaign.externalIdParam}").`}
      />
      {campaign.clickUrlWarnings.map((warning) => (
        <Alert key={warning.token} color="yellow" variant="light" title={`No ${TARGET_NAMES[warning.token]} token`} role="alert">
          {warning.message}
        </Alert>
      ))}
      <Table withRowBorders={false} verticalSpacing={2} aria-label={`Link parameters of ${campaign.name}`}>
        <Table.Tbody>
          {params.map(([name, macro]) => (
            <Table.Tr key={name}>
              <Table.Td w={140}>
                <Text size="xs" c="dimmed">
                  {meaning(name)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {name}={macro}
                </Text>
              </Table.Td>
              <Table.Td w={90} ta="right">
                <CopyButton value={`${name}=${macro}`}>
                  {({ copied, copy }) => (
                    <Button
                      size="compact-xs"
                      variant={copied ? 'filled' : 'subtle'}
                      color={copied ? 'teal' : undefined}
                      onClick={copy}
                      aria-label={`Copy ${name}`}
                    >
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  )}
                </CopyButton>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group gap={4}>
        <Text size="xs" c="dimmed">
          The parameters come from the traffic source&apos;s tokens (Setup › Traffic sources › Tokens).
        </Text>
      </Group>
    </Stack>
  );
}
