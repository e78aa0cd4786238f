import { Button, Collapse, Stack } from '@mantine/core';
import { useState } from 'react';
import { CampaignForwardingRules } from './campaign-forwarding-rules';
import { CostHistory } from './cost-dialog';
import type { Campaign } from './queries';

/** A campaign's costs and forwarding rules, folded under its link until opened. */
export function CampaignTools({ campaign }: { campaign: Campaign }) {
  const [open, setOpen] = useState(false);
  return (
    <div>
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
    </div>
  );
}
