import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { AlertRepository, NetworkRepository, TrafficSourceRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import {
  conversionRateDropAlert,
  failingSourceAlert,
  postbackLogFullAlert,
  refusedPostbacksAlert,
  refusedTargetCredentialsAlert,
  risingPostbacksAlert,
  silentNetworkAlert,
  type Alert,
} from './alert-rules';

/** The alerts open now, computed on read from bounded aggregates: what the dashboard shows and the webhooks are told about. */
@Injectable()
export class CurrentAlerts {
  constructor(
    private readonly alertData: AlertRepository,
    private readonly sources: TrafficSourceRepository,
    private readonly networks: NetworkRepository,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  async list(now: Date): Promise<Alert[]> {
    const [sources, networks, activity, trouble, logDay, rates, refused, credentials] = await Promise.all([
      this.sources.list(),
      this.networks.list(),
      this.alertData.networkActivity(now),
      this.alertData.troublePostbacks(now),
      this.alertData.postbackLogDay(now),
      this.alertData.campaignConversionRates(now),
      this.alertData.refusedPostbacks(now),
      this.alertData.refusedTargetCredentials(now),
    ]);
    const credentialsBySource = new Map(credentials.map((c) => [c.trafficSourceId, c]));
    const refusedByNetwork = new Map(refused.map((r) => [r.networkId, r]));
    const byNetwork = new Map(activity.map((a) => [a.networkId, a]));
    return [
      ...sources.map(failingSourceAlert),
      ...networks.map((n) => silentNetworkAlert(n, byNetwork.get(n.id), now)),
      ...trouble.map(risingPostbacksAlert),
      postbackLogFullAlert(logDay, this.config.postbackLogMaxBytesPerDay),
      ...rates.map(conversionRateDropAlert),
      ...networks.map((n) => refusedPostbacksAlert(n, refusedByNetwork.get(n.id))),
      ...sources.map((s) => refusedTargetCredentialsAlert(s, credentialsBySource.get(s.id))),
    ].filter((a): a is Alert => a !== undefined);
  }
}
