import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { AlertRepository, NetworkRepository, TrafficSourceRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiRoute } from '../openapi/api-route.decorator';
import { failingSourceAlert, postbackLogFullAlert, refusedPostbacksAlert, risingPostbacksAlert, silentNetworkAlert, type Alert } from './alert-rules';
import { alertsView } from './alert-views';

/** What the dashboard asks an operator to act on: failing sources, silent networks, rising trouble postbacks, the postback log at its daily cap. */
@Controller('api/alerts')
@UseGuards(AdminAuthGuard)
export class AlertsController {
  constructor(
    private readonly alertData: AlertRepository,
    private readonly sources: TrafficSourceRepository,
    private readonly networks: NetworkRepository,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  @Get()
  @ApiRoute({
    summary:
      'Alerts to act on: failing traffic sources, silent networks, rising unattributed or rejected postbacks, the postback log at its daily cap, postbacks refused in the last hour',
    responseDescription: '{alerts, checkedAt}',
    response: alertsView,
  })
  async list(): Promise<{ alerts: Alert[]; checkedAt: Date }> {
    const now = new Date();
    const [sources, networks, activity, trouble, logDay, refused] = await Promise.all([
      this.sources.list(),
      this.networks.list(),
      this.alertData.networkActivity(now),
      this.alertData.troublePostbacks(now),
      this.alertData.postbackLogDay(now),
      this.alertData.refusedPostbacks(now),
    ]);
    const refusedByNetwork = new Map(refused.map((r) => [r.networkId, r]));
    const byNetwork = new Map(activity.map((a) => [a.networkId, a]));
    const alerts = [
      ...sources.map(failingSourceAlert),
      ...networks.map((n) => silentNetworkAlert(n, byNetwork.get(n.id), now)),
      ...trouble.map(risingPostbacksAlert),
      postbackLogFullAlert(logDay, this.config.postbackLogMaxBytesPerDay),
      ...networks.map((n) => refusedPostbacksAlert(n, refusedByNetwork.get(n.id))),
    ].filter((a): a is Alert => a !== undefined);
    return { alerts, checkedAt: now };
  }
}
