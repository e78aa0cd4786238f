import { Controller, Get, UseGuards } from '@nestjs/common';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiRoute } from '../openapi/api-route.decorator';
import type { Alert } from './alert-rules';
import { alertsView } from './alert-views';
import { CurrentAlerts } from './current-alerts';

/** What the dashboard asks an operator to act on: failing sources, silent networks, rising trouble postbacks, the postback log at its daily cap, conversion-rate drops. */
@Controller('api/alerts')
@UseGuards(AdminAuthGuard)
export class AlertsController {
  constructor(private readonly current: CurrentAlerts) {}

  @Get()
  @ApiRoute({
    summary:
      'Alerts to act on: failing traffic sources, silent networks, rising unattributed or rejected postbacks, the postback log at its daily cap, campaigns whose conversion rate dropped, postbacks refused in the last hour',
    responseDescription: '{alerts, checkedAt}',
    response: alertsView,
  })
  async list(): Promise<{ alerts: Alert[]; checkedAt: Date }> {
    const now = new Date();
    return { alerts: await this.current.list(now), checkedAt: now };
  }
}
