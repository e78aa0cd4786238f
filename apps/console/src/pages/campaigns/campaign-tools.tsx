import { Button, Collapse, Stack, Table } from '@mantine/core';
import { useState } from 'react';
import { CampaignForwardingRules } from './campaign-forwarding-rules';
import { CostHistory } from './cost-dialog';
import type { Campaign } from './queries';

/** A campaign's costs and forwarding rules, folded under its link until opened. */
export function CampaignTools({ campaign }: { campaign: Campaign }) {
  const [open, setOpen] = useState(false);
  return (
    <Table.Tr>
      <Table.Td colSpan={2}>
        <Button size="xs" variant="subtle" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide costs & forwarding rules' : 'Costs & forwarding rules'}
        </Button>
        <Collapse in={open}>
          {open && (
            <Stack mt="xs">
              <CostHistory campaign={campaign} />
              <CampaignForwardingRules campaign={campaign} />
            </Stack>
          )}
        </Collapse>
      </Table.Td>
    </Table.Tr>
  );
}
