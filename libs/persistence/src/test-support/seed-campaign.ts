import { randomBytes } from 'node:crypto';
import type { SqlExecutor } from '../client/sql-client';
import type { CampaignCostSettings } from '../repositories/catalog.types';
import { CampaignRepository } from '../repositories/campaign.repository';
import { NetworkRepository } from '../repositories/network.repository';
import { OfferRepository } from '../repositories/offer.repository';
import { TrafficSourceRepository } from '../repositories/traffic-source.repository';

/**
 * The chain a click needs, for storage tests: a generic network (unique slug), an offer paying 2,
 * a GET traffic source, and a campaign over them with the given cost settings.
 */
export async function seedCampaign(db: SqlExecutor, cost: CampaignCostSettings = {}) {
  const tag = randomBytes(3).toString('hex');
  const network = await new NetworkRepository(db).create({
    name: `N ${tag}`,
    slug: `n-${tag}`,
    adapter: 'generic',
    adapterConfig: {},
    attributionWindowDays: 30,
  });
  const offer = await new OfferRepository(db).create({ name: `O ${tag}`, networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2' });
  const source = await new TrafficSourceRepository(db).create({ name: `S ${tag}`, postbackUrl: 'https://s.example/pb', method: 'GET' });
  const campaign = await new CampaignRepository(db).create({ name: `C ${tag}`, trafficSourceId: source.id, offerId: offer.id, ...cost });
  return { network, offer, source, campaign };
}
