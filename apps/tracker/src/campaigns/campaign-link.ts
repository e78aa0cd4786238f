import { buildCampaignLink, type CampaignLink, type TrackingToken } from '@postwire/core';
import type { Campaign, TrafficSource } from '@postwire/persistence';
import type { PluginRegistry } from '../plugins/plugin-registry';

/**
 * The campaign's link from its traffic source's tokens. A source made from a preset before sources
 * had tokens still has the preset's click-id macro, so its links keep working as they did.
 */
export function campaignLink(
  publicUrl: string,
  campaign: Campaign,
  source: TrafficSource | undefined,
  registry: PluginRegistry,
): { clickUrl: string; clickUrlWarnings: CampaignLink['warnings'] } {
  let tokens: TrackingToken[] = source?.tokens ?? [];
  const preset = source?.preset ? registry.preset(source.preset) : undefined;
  if (preset && !tokens.some((t) => t.target === 'external_id')) tokens = [{ target: 'external_id', macro: preset.clickIdMacro, label: 'click id' }, ...tokens];
  const link = buildCampaignLink({
    publicUrl,
    campaignId: campaign.id,
    externalIdParam: campaign.externalIdParam,
    costParam: campaign.costParam,
    costModel: campaign.costModel,
    tokens,
  });
  return { clickUrl: link.url, clickUrlWarnings: link.warnings };
}
