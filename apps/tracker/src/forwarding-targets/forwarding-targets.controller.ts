import { Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { maskHeaders, maskUrl } from '@postwire/forwarding';
import { ForwardingTargetRepository, TrafficSourceRepository, type SourceTarget } from '@postwire/persistence';
import { checkConfig, type ConfigSchema, type ForwardingTarget } from '@postwire/plugin-sdk';
import { MASKED_SECRET, secretFields, TargetRuntime } from '@postwire/runtime';
import { SecretBox } from '@postwire/security';
import type { z } from 'zod';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { CatalogLifecycle } from '../lifecycle';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { PluginRegistry } from '../plugins/plugin-registry';
import { putSourceTargetSchema, targetPreviewSchema } from './forwarding-target-schemas';
import { forwardingTargetView, sourceTargetView, targetPreviewView } from './forwarding-target-views';
import { z as zod } from 'zod';

/**
 * Forwarding targets (docs/forwarding.md#targets): the installed ones, the one a traffic source uses with its
 * settings (secret ones sealed at rest, shown masked) and event mapping, and a preview of the exact request a
 * stored conversion would make, built by the same runtime as a real delivery. Nothing is sent.
 */
@Controller('api')
@UseGuards(AdminAuthGuard)
export class ForwardingTargetsController {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly targets: ForwardingTargetRepository,
    private readonly sources: TrafficSourceRepository,
    private readonly runtime: TargetRuntime,
    private readonly box: SecretBox,
    private readonly lifecycle: CatalogLifecycle,
  ) {}

  @ApiRoute({
    summary: 'Installed forwarding targets (the built-in postback URL and target plugins)',
    tag: 'traffic-sources',
    response: zod.array(forwardingTargetView),
  })
  @Get('forwarding-targets')
  list() {
    return this.registry.listTargets().map(({ target, origin }) => ({
      id: target.id,
      displayName: target.displayName,
      origin,
      configSchema: target.configSchema as ConfigSchema as Record<string, z.infer<typeof forwardingTargetView>['configSchema'][string]>,
      events: [...target.events],
      defaultMapping: [...target.defaultMapping],
    }));
  }

  @ApiRoute({ summary: "A traffic source's forwarding target, secret settings masked", tag: 'traffic-sources', response: sourceTargetView })
  @Get('traffic-sources/:id/target')
  async get(@Param('id') id: string) {
    const [stored, source] = await Promise.all([this.targets.sourceTarget(id), this.sources.get(id)]);
    if (!stored || !source) throw ApiError.notFound('traffic source');
    return { ...this.view(id, stored), version: source.version };
  }

  /**
   * Chooses the source's target. Settings are checked against the target's schema; a secret setting sent back
   * masked (as GET shows it) keeps the stored one. Deliveries sent from now on (retries included) use it. An edit of
   * the source like any other: checked against the `version` it was read with (409 version_conflict when stale),
   * the version bumped and the change audited in one transaction.
   */
  @ApiRoute({
    summary: "Choose a traffic source's forwarding target, its settings and event mapping",
    tag: 'traffic-sources',
    body: putSourceTargetSchema,
    response: sourceTargetView,
  })
  @Put('traffic-sources/:id/target')
  async put(@Param('id') id: string, @Valid('body') { version, ...input }: z.output<typeof putSourceTargetSchema>, @Access() scope: AccessScope) {
    const stored = await this.targets.sourceTarget(id);
    if (!stored) throw ApiError.notFound('traffic source');
    const target = this.requireTarget(input.targetId);
    const config = this.checkedConfig(target, input, stored);
    const saved: SourceTarget = { targetId: target.id, config: this.sealSecrets(target, config), mapping: input.mapping };
    await this.lifecycle.edit(scope, 'trafficSource', id, version, {
      // In the audit log as the API shows it: secrets masked. Read in the transaction, after the source is locked.
      show: async (tx) => ({ target: this.view(id, (await new ForwardingTargetRepository(tx).sourceTarget(id))!) }),
      apply: (tx) => new ForwardingTargetRepository(tx).setSourceTarget(id, saved),
    });
    const source = await this.sources.get(id);
    return { ...this.view(id, saved), version: source!.version };
  }

  @ApiRoute({
    summary: 'Preview the exact request a stored conversion would make with the source’s (or draft) target',
    tag: 'traffic-sources',
    body: targetPreviewSchema,
    response: targetPreviewView,
  })
  @Post('traffic-sources/:id/target/preview')
  @HttpCode(200)
  async preview(@Param('id') id: string, @Valid('body') input: z.output<typeof targetPreviewSchema>) {
    const stored = await this.targets.sourceTarget(id);
    if (!stored || !(await this.sources.get(id))) throw ApiError.notFound('traffic source');
    let settings: SourceTarget | undefined;
    if (input.target) {
      const target = this.requireTarget(input.target.targetId, 'target.targetId');
      const config = this.checkedConfig(target, input.target, stored, 'target.config');
      settings = { targetId: target.id, config: this.sealSecrets(target, config), mapping: input.target.mapping };
    }
    const prepared = await this.runtime.preview(input.conversionId, id, settings);
    if (!prepared) throw ApiError.badParameter('conversionId', 'is not a stored conversion whose click is still stored');
    if (prepared.kind !== 'send') {
      const reason = prepared.kind === 'failed' ? prepared.verdict.reason : prepared.reason;
      return { conversionId: input.conversionId, targetId: prepared.targetId, sent: false, reason, event: null, request: null };
    }
    const { request } = prepared;
    return {
      conversionId: input.conversionId,
      targetId: prepared.targetId,
      sent: true,
      reason: null,
      event: prepared.event,
      request: { method: request.method, url: maskUrl(request.url), headers: maskHeaders(request.headers), body: request.body },
    };
  }

  private requireTarget(id: string, param = 'targetId'): ForwardingTarget {
    const target = this.registry.target(id);
    if (!target)
      throw ApiError.badParameter(
        param,
        `is not an installed target (${this.registry
          .listTargets()
          .map((t) => t.target.id)
          .join(', ')})`,
      );
    return target;
  }

  /** The settings checked against the target's schema, a masked secret standing for the stored one (same target only). */
  private checkedConfig(
    target: ForwardingTarget,
    input: { targetId: string; config: Record<string, unknown>; mapping: Array<{ event: string | null }> },
    stored: SourceTarget,
    param = 'config',
  ) {
    const config: Record<string, unknown> = { ...input.config };
    for (const key of secretFields(target)) {
      if (config[key] !== MASKED_SECRET) continue;
      if (stored.targetId !== target.id || typeof stored.config[key] !== 'string')
        throw ApiError.badParameter(`${param}.${key}`, 'is masked but no value is stored for it: enter the secret');
      config[key] = this.box.open(stored.config[key] as string);
    }
    const checked = checkConfig(target.configSchema as ConfigSchema, config);
    if (!checked.ok) {
      const first = checked.errors[0].replace(/^adapterConfig\./, '');
      const key = first.split(' ')[0];
      throw ApiError.badParameter(`${param}.${key}`, first.slice(key.length).trim() || 'is not valid');
    }
    const mappingParam = param === 'config' ? 'mapping' : 'target.mapping';
    input.mapping.forEach((rule, i) => {
      if (rule.event !== null && target.events.length > 0 && !target.events.includes(rule.event))
        throw ApiError.badParameter(`${mappingParam}.${i}.event`, `is not an event of ${target.displayName} (${target.events.join(', ')})`);
    });
    return checked.value as Record<string, unknown>;
  }

  private sealSecrets(target: ForwardingTarget, config: Record<string, unknown>): Record<string, unknown> {
    const sealed = { ...config };
    for (const key of secretFields(target)) if (typeof sealed[key] === 'string') sealed[key] = this.box.seal(sealed[key] as string);
    return sealed;
  }

  private view(trafficSourceId: string, stored: SourceTarget) {
    const target = this.registry.target(stored.targetId);
    const secrets = new Set(target ? secretFields(target) : []);
    const config = Object.fromEntries(
      Object.entries(stored.config).map(([key, value]) => [key, secrets.has(key) ? MASKED_SECRET : (value as string | number | boolean)]),
    );
    return { trafficSourceId, targetId: stored.targetId, config, mapping: stored.mapping };
  }
}
