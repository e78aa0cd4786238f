import { Controller, Get, UseGuards } from '@nestjs/common';
import { AlertRepository, NetworkRepository, TrafficSourceRepository } from '@postwire/persistence';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiRoute } from '../openapi/api-route.decorator';
import { failingSourceAlert, risingPostbacksAlert, silentNetworkAlert, type Alert } from './alert-rules';
import { alertsView } from './alert-views';

/** What the dashboard asks an operator to act on: failing sources, silent networks, rising trouble postbacks. */
@Controller('api/alerts')
@UseGuards(AdminAuthGuard)
export class AlertsController {
  constructor(
    private readonly alertData: AlertRepository,
    private readonly sources: TrafficSourceRepository,
    private readonly networks: NetworkRepository,
  ) {}

  @Get()
  @ApiRoute({
    summary: 'Alerts to act on: failing traffic sources, silent networks, rising unattributed or rejected postbacks',
    responseDescription: '{alerts, checkedAt}',
    response: alertsView,
  })
  async list(): Promise<{ alerts: Alert[]; checkedAt: Date }> {
    const now = new Date();
    const [sources, networks, activity, trouble] = await Promise.all([
      this.sources.list(),
      this.networks.list(),
      this.alertData.networkActivity(now),
      this.alertData.troublePostbacks(now),
    ]);
    const byNetwork = new Map(activity.map((a) => [a.networkId, a]));
    const alerts = [
      ...sources.map(failingSourceAlert),
      ...networks.map((n) => silentNetworkAlert(n, byNetwork.get(n.id), now)),
      ...trouble.map(risingPostbacksAlert),
    ].filter((a): a is Alert => a !== undefined);
    return { alerts, checkedAt: now };
  }
}
