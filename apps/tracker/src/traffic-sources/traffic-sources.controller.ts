import { Controller, Delete, Get, Inject, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { formatDurations, type PostwireConfig } from '@postwire/config';
import { lifecycleStatus, matchesLifecycleFilter, normaliseUrlTemplate } from '@postwire/core';
import { credentialHeaderNames, keepMaskedHeaders, keepMaskedUrl, maskHeaders, maskUrl, MaskWithoutValue, sameDestination } from '@postwire/forwarding';
import { TrafficSourceRepository, type ApiKeyRecord, type SqlClient, type TrafficSource } from '@postwire/persistence';
import type { TrafficSourcePreset } from '@postwire/plugin-sdk';
import { POSTWIRE_CONFIG, SQL_CLIENT } from '@postwire/runtime';
import { assertUrlAllowed, IpAllowlist, newWebhookSecret, SecretBox } from '@postwire/security';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { CatalogLifecycle, lifecycleListQuery } from '../lifecycle';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { PluginRegistry } from '../plugins/plugin-registry';
import { createTrafficSourceSchema, updateTrafficSourceSchema } from './traffic-source-schemas';
import { newSourceSecretView, sourceSecretView, trafficSourceView } from './traffic-source-views';
import { z } from 'zod';

/** Active signing secrets per source: enough for a rotation with a spare, few enough to keep the signature header short. */
const MAX_ACTIVE_SECRETS = 5;

@Controller('api/traffic-sources')
@UseGuards(AdminAuthGuard)
export class TrafficSourcesController {
  private readonly allow?: IpAllowlist;

  constructor(
    private readonly sources: TrafficSourceRepository,
    private readonly box: SecretBox,
    private readonly registry: PluginRegistry,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
    private readonly lifecycle: CatalogLifecycle,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
  ) {
    this.allow = config.forwarding.allowCidrs.length ? new IpAllowlist(config.forwarding.allowCidrs) : undefined;
  }

  @ApiRoute({ summary: 'Create a traffic source', body: createTrafficSourceSchema, response: trafficSourceView })
  @Post()
  async create(@Valid('body') { preset: presetId, presetValues, ...input }: z.output<typeof createTrafficSourceSchema>, @Access() scope: AccessScope) {
    let postbackUrl = input.postbackUrl;
    let statusMap = input.statusMap;
    let tokens = input.tokens;
    if (presetId !== undefined) {
      const preset = this.registry.preset(presetId);
      if (!preset) {
        const known = this.registry.listPresets().map((p) => p.preset.id);
        throw ApiError.badParameter('preset', `unknown preset "${presetId}"; installed: ${known.join(', ')}`);
      }
      if (postbackUrl === undefined && preset.postbackUrlTemplate === undefined)
        throw ApiError.badParameter(
          'postbackUrl',
          `is required: the ${preset.displayName} preset has no postback URL of its own (its conversions go through its API)`,
        );
      postbackUrl ??= presetUrl(fillPresetValues(preset.postbackUrlTemplate!, preset, presetValues ?? {}));
      statusMap ??= preset.statusMap;
      tokens ??= preset.tokens ? [...preset.tokens] : undefined;
    }
    this.checkDestination(postbackUrl!);
    const source = view(
      await this.sources.create({ ...input, postbackUrl: postbackUrl!, statusMap: statusMap ?? null, preset: presetId ?? null, tokens: tokens ?? [] }),
    );
    await this.lifecycle.created(scope, 'trafficSource', source.id, audited(source));
    return source;
  }

  /** Archived sources only with `archived=true` (or `all`); `tag` and `status` filter further. */
  @ApiRoute({ summary: 'List traffic sources', query: lifecycleListQuery, response: z.array(trafficSourceView) })
  @Get()
  async list(@Valid('query') filter: z.output<typeof lifecycleListQuery>, @Req() req: ScopedRequest) {
    const show = viewFor(req);
    return (await this.sources.list()).filter((s) => matchesLifecycleFilter(s, filter)).map(show);
  }

  @ApiRoute({ summary: 'One traffic source', response: trafficSourceView })
  @Get(':id')
  async get(@Param('id') id: string, @Req() req: ScopedRequest) {
    const source = await this.sources.get(id);
    if (!source) throw ApiError.notFound('traffic source');
    return viewFor(req)(source);
  }

  /**
   * Changes some settings; a setting given as `null` goes back to its default. Applies to deliveries
   * written from now on (and to re-sends). A credential sent back as `***` (as GET shows it) keeps the
   * stored value. Moving the postback URL to another scheme, host or port takes admin rights, or the
   * source's credentials entered again: otherwise whoever may edit a source could send its stored
   * `Authorization` or URL key to a host of its own and read them there.
   */
  @ApiRoute({ summary: 'Change a traffic source', body: updateTrafficSourceSchema, response: trafficSourceView })
  @Patch(':id')
  async update(@Param('id') id: string, @Valid('body') { version, ...patch }: z.output<typeof updateTrafficSourceSchema>, @Access() scope: AccessScope) {
    const stored = await this.sources.get(id);
    if (!stored) throw ApiError.notFound('traffic source');
    try {
      const url = patch.postbackUrl === undefined ? undefined : keepMaskedUrl(patch.postbackUrl, stored.postbackUrl);
      const headers = patch.headers ? keepMaskedHeaders(patch.headers, stored.headers) : undefined;
      if (url) patch.postbackUrl = url.value;
      if (headers) patch.headers = headers.value;
      if (url && scope.role !== 'admin' && !sameDestination(url.value, stored.postbackUrl)) {
        const followingHeaders = headers ? headers.kept : patch.headers === undefined ? credentialHeaderNames(stored.headers).length : 0;
        if (url.kept > 0 || followingHeaders > 0) {
          throw new ApiError(
            'credentials_required',
            "postbackUrl: sending this source's postbacks to another scheme, host or port needs its credentials entered again (the URL's keys and the credential headers, not `***`), or an admin.",
            'postbackUrl',
          );
        }
      }
    } catch (error) {
      if (error instanceof MaskWithoutValue) throw ApiError.badParameter(error.param, error.reason);
      throw error;
    }
    if (patch.postbackUrl !== undefined) this.checkDestination(patch.postbackUrl);
    await this.lifecycle.edit(scope, 'trafficSource', id, version, {
      show: async (tx) => audited(view((await new TrafficSourceRepository(tx).get(id))!)),
      apply: (tx) => new TrafficSourceRepository(tx).update(id, patch),
    });
    return view((await this.sources.get(id))!);
  }

  /** A new Standard Webhooks secret, shown in this answer only; older active secrets keep signing too until revoked. */
  @ApiRoute({ summary: 'Create a signing secret for a traffic source (shown once)', response: newSourceSecretView })
  @Post(':id/signing-secrets')
  @RequireAdminScope()
  async createSigningSecret(@Param('id') id: string, @Access() scope: AccessScope) {
    const source = await this.sources.get(id);
    if (!source) throw ApiError.notFound('traffic source');
    if (source.signingSecrets >= MAX_ACTIVE_SECRETS) {
      throw new ApiError('too_many_secrets', `A traffic source can have at most ${MAX_ACTIVE_SECRETS} active signing secrets; revoke one first.`);
    }
    const secret = newWebhookSecret();
    // The source's audit trail says who added it and when (never the secret), written with it.
    const record = await this.db.transaction(async (tx) => {
      const added = await new TrafficSourceRepository(tx).addSigningSecret(id, this.box.seal(secret));
      await this.lifecycle.record(
        scope.actor,
        [{ entityType: 'trafficSource', entityId: id, action: 'add_signing_secret', before: null, after: { signingSecret: added } }],
        tx,
      );
      return added;
    });
    return { ...record, secret };
  }

  @ApiRoute({ summary: 'List the signing secrets of a traffic source', response: z.array(sourceSecretView) })
  @Get(':id/signing-secrets')
  @RequireAdminScope()
  async listSigningSecrets(@Param('id') id: string) {
    if (!(await this.sources.get(id))) throw ApiError.notFound('traffic source');
    return this.sources.listSigningSecrets(id);
  }

  @ApiRoute({ summary: 'Revoke a signing secret of a traffic source', response: sourceSecretView })
  @Delete(':id/signing-secrets/:secretId')
  @RequireAdminScope()
  async revokeSigningSecret(@Param('id') id: string, @Param('secretId') secretId: string, @Access() scope: AccessScope) {
    return this.db.transaction(async (tx) => {
      const revoked = await new TrafficSourceRepository(tx).revokeSigningSecret(id, secretId);
      if (!revoked) throw ApiError.notFound('active signing secret');
      const before = { signingSecret: { ...revoked, revokedAt: null } };
      await this.lifecycle.record(
        scope.actor,
        [{ entityType: 'trafficSource', entityId: id, action: 'revoke_signing_secret', before, after: { signingSecret: revoked } }],
        tx,
      );
      return revoked;
    });
  }

  /** Refuses a postback URL whose host is a literal internal address now, rather than as a dead delivery later. */
  private checkDestination(template: string): void {
    try {
      assertUrlAllowed(template.replace(/\{[a-z0-9_]+\}/gi, 'x'), this.allow);
    } catch (error) {
      throw ApiError.badParameter('postbackUrl', (error as Error).message);
    }
  }
}

type ScopedRequest = { user?: Pick<ApiKeyRecord, 'scope'> };

/**
 * Only an admin key sees a source's credentials: for every other reader (a `read` key) the
 * postback URL's password and credential-like query values and the credential-like headers
 * (`Authorization`, `X-Api-Key` …) are masked, as in the delivery log.
 */
function viewFor(req: ScopedRequest): (source: TrafficSource) => ReturnType<typeof view> {
  if (req.user?.scope === 'admin') return view;
  return (source) => {
    const shown = view(source);
    return { ...shown, postbackUrl: maskUrl(shown.postbackUrl), headers: maskHeaders(shown.headers) };
  };
}

/** A preset's URL with the admin's values filled in goes through the same normalisation as a URL given directly. */
function presetUrl(url: string): string {
  const checked = normaliseUrlTemplate(url);
  if (!checked.ok) throw ApiError.badParameter('presetValues', `give a URL that ${checked.reason}`);
  return checked.url;
}

/** A traffic source as the admin API shows it: the retry schedule in the syntax it is written in. */
function view(source: TrafficSource) {
  const { retryScheduleMs, ...rest } = source;
  return { ...rest, retrySchedule: retryScheduleMs ? formatDurations(retryScheduleMs) : null, status: lifecycleStatus(source) };
}

/** What the audit log keeps of a source: its credentials (URL keys, credential headers) masked, as a read key sees it. */
function audited(shown: ReturnType<typeof view>) {
  // Health moves with every attempt: it is no setting, and would make every change look like more.
  const { health: _health, failing: _failing, failingReason: _reason, failingSince: _since, ...settings } = shown;
  return { ...settings, postbackUrl: maskUrl(shown.postbackUrl), headers: maskHeaders(shown.headers) };
}

/**
 * Fills the per-account parts of a preset URL (written in capitals, like `YOUR_AID`) from the
 * admin's values; one left unfilled is a 400 naming it, so no postback ever goes out with it.
 */
function fillPresetValues(template: string, preset: TrafficSourcePreset, values: Readonly<Record<string, string>>): string {
  return template.replace(/\bYOUR_[A-Z0-9_]+\b/g, (name) => {
    const value = values[name];
    const spec = preset.values?.[name];
    if (value === undefined)
      throw ApiError.badParameter(
        `presetValues.${name}`,
        `is required by this preset: ${spec?.description ?? 'see its postback settings at the traffic source'}`,
      );
    if (spec?.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`).test(value)) {
      throw ApiError.badParameter(`presetValues.${name}`, `must match ${spec.pattern}: ${spec.description}`);
    }
    return encodeURIComponent(value);
  });
}
