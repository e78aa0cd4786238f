import { Controller, Get, HttpCode, Inject, Param, Post, Put, UseGuards } from '@nestjs/common';
import { DEFAULT_FRAUD_WEIGHTS, layerFraudPolicies, withFraudDefaults, type FraudPolicy } from '@postwire/core';
import { FraudRepository, type FraudPolicyOwner, type SqlClient, type SqlExecutor } from '@postwire/persistence';
import { DeliveryQueue, SQL_CLIENT } from '@postwire/runtime';
import { z } from 'zod';
import { Access, campaignFilter, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { CatalogLifecycle } from '../lifecycle';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { FraudPlugins } from './fraud-plugins';
import { fraudPolicySchema, heldQuery, holdDecisionBody } from './fraud-schemas';
import { fraudPolicyView, heldPageView, holdDecisionView } from './fraud-views';

type Policy = z.output<typeof fraudPolicySchema>;

/** Fraud policies of campaigns and offers, and the review queue of held conversions (docs/fraud.md). */
@Controller('api/fraud')
@UseGuards(AdminAuthGuard)
export class FraudController {
  constructor(
    private readonly fraud: FraudRepository,
    private readonly queue: DeliveryQueue,
    private readonly lifecycle: CatalogLifecycle,
    private readonly plugins: FraudPlugins,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
  ) {}

  @ApiRoute({ summary: "A campaign's fraud policy: what it stores and what applies", tag: 'fraud', response: fraudPolicyView })
  @Get('campaigns/:id/policy')
  campaignPolicy(@Param('id') id: string) {
    return this.policy('campaign', id);
  }

  /** Replaces the campaign's policy; fields left out keep their defaults (the offer's policy, then Postwire's). */
  @ApiRoute({ summary: "Replace a campaign's fraud policy", tag: 'fraud', body: fraudPolicySchema, response: fraudPolicyView })
  @Put('campaigns/:id/policy')
  setCampaignPolicy(@Param('id') id: string, @Valid('body') policy: Policy, @Access() scope: AccessScope) {
    return this.setPolicy('campaign', id, policy, scope);
  }

  @ApiRoute({ summary: "An offer's fraud policy: what it stores and what applies", tag: 'fraud', response: fraudPolicyView })
  @Get('offers/:id/policy')
  offerPolicy(@Param('id') id: string) {
    return this.policy('offer', id);
  }

  /** Replaces the offer's policy: it applies to every campaign of the offer, under each campaign's own. */
  @ApiRoute({ summary: "Replace an offer's fraud policy", tag: 'fraud', body: fraudPolicySchema, response: fraudPolicyView })
  @Put('offers/:id/policy')
  setOfferPolicy(@Param('id') id: string, @Valid('body') policy: Policy, @Access() scope: AccessScope) {
    return this.setPolicy('offer', id, policy, scope);
  }

  /** The review queue: held conversions, the oldest hold first, with every signal that ran. */
  @ApiRoute({ summary: 'List held conversions (the review queue)', tag: 'fraud', query: heldQuery, response: heldPageView })
  @Get('held')
  async held(@Valid('query') query: z.output<typeof heldQuery>, @Access() scope: AccessScope) {
    const filter = campaignFilter(scope, query.campaignId);
    const page = filter.none
      ? { items: [], total: 0 }
      : await this.fraud.listHeld({ campaignIds: filter.campaignIds, test: query.test, limit: query.limit, offset: query.offset });
    return { ...page, totalIsLowerBound: false, limit: query.limit, offset: query.offset };
  }

  /** Releases held conversions: each is forwarded now, exactly once. Ids that are not held (any more) are skipped. */
  @ApiRoute({ summary: 'Release held conversions (they are forwarded)', tag: 'fraud', body: holdDecisionBody, response: holdDecisionView })
  @Post('held/release')
  @HttpCode(200)
  async release(@Valid('body') body: z.output<typeof holdDecisionBody>, @Access() scope: AccessScope) {
    const decision = await this.fraud.release(body.conversionIds, this.who(scope), (tx, decided) => this.audit(scope, 'release', decided, tx));
    void this.queue.enqueue(decision.deliveryIds);
    return { ...decision, skipped: skipped(body.conversionIds, decision.decided) };
  }

  /** Rejects held conversions: they are declined and never forwarded. Ids that are not held (any more) are skipped. */
  @ApiRoute({ summary: 'Reject held conversions (they are declined)', tag: 'fraud', body: holdDecisionBody, response: holdDecisionView })
  @Post('held/reject')
  @HttpCode(200)
  async reject(@Valid('body') body: z.output<typeof holdDecisionBody>, @Access() scope: AccessScope) {
    const decision = await this.fraud.reject(body.conversionIds, this.who(scope), (tx, decided) => this.audit(scope, 'reject', decided, tx));
    return { ...decision, skipped: skipped(body.conversionIds, decision.decided) };
  }

  private async policy(owner: FraudPolicyOwner, id: string) {
    const stored = await this.fraud.getPolicy(owner, id);
    if (stored === undefined) throw ApiError.notFound(owner);
    return this.view(owner, id, stored ?? {});
  }

  /** The view of an owner's policy; a campaign's `effective` is laid over its offer's, as its clicks and conversions are scored. */
  private async view(owner: FraudPolicyOwner, id: string, stored: Policy) {
    const under = owner === 'campaign' ? await this.fraud.offerPolicyOf(id) : null;
    return view(stored, layerFraudPolicies(under, stored), this.plugins.weights);
  }

  private async setPolicy(owner: FraudPolicyOwner, id: string, policy: Policy, scope: AccessScope) {
    // A plugin's code is a weight only while that plugin is installed and declares it.
    const unknown = this.plugins.unknownWeightCodes(policy.weights);
    if (unknown.length) throw ApiError.badParameter(`weights.${unknown[0]}`, 'no installed fraud scorer declares this reason code');
    const before = await this.fraud.getPolicy(owner, id);
    if (before === undefined) throw ApiError.notFound(owner);
    // The policy and its audit record commit together.
    await this.db.transaction(async (tx) => {
      await this.fraud.setPolicy(owner, id, policy, tx);
      await this.lifecycle.record(scope.actor, [{ entityType: owner, entityId: id.toLowerCase(), action: 'set_fraud_policy', before, after: policy }], tx);
    });
    return this.view(owner, id, policy);
  }

  private who(scope: AccessScope): string {
    return scope.actor.label ?? scope.actor.id ?? scope.actor.type;
  }

  private audit(scope: AccessScope, action: 'release' | 'reject', decided: string[], tx: SqlExecutor) {
    return this.lifecycle.record(
      scope.actor,
      decided.map((conversionId) => ({
        entityType: 'conversion',
        entityId: conversionId,
        action: `fraud_${action}`,
        before: { holdState: 'held' },
        after: { holdState: action === 'release' ? 'released' : 'rejected' },
      })),
      tx,
    );
  }
}

/**
 * The stored policy and what applies (`applied`: the stored one, a campaign's over its offer's): every weight, the
 * built-in signals' and the installed scorer plugins' defaults under the policy's own.
 */
function view(stored: Policy, applied: Partial<FraudPolicy>, pluginWeights: Readonly<Record<string, number>>) {
  const effective = withFraudDefaults(applied);
  return {
    stored,
    effective: { ...effective, weights: { ...DEFAULT_FRAUD_WEIGHTS, ...pluginWeights, ...effective.weights } },
    defaults: { ...withFraudDefaults(null), weights: { ...DEFAULT_FRAUD_WEIGHTS, ...pluginWeights } },
  };
}

function skipped(asked: readonly string[], decided: readonly string[]): string[] {
  const done = new Set(decided.map((id) => id.toLowerCase()));
  return asked.filter((id) => !done.has(id.toLowerCase()));
}
