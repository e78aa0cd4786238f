import { BadParameterError } from './adapter-errors';
import type { ConfigField } from './config-schema';

/**
 * The `clickIdParam` setting of adapters whose network echoes the Postwire click id in a sub ID
 * the user picks (`sub1`, `aff_sub`, `SubId1` …). Use it as `configSchema: { clickIdParam: clickIdParamSetting(…) }`.
 */
export function clickIdParamSetting(
  description: string,
  defaultParam: string,
  options: { choices?: readonly string[]; help?: string } = {},
): ConfigField & { type: 'string'; default: string } {
  return {
    type: 'string',
    title: 'Click-id parameter',
    description,
    help: options.help ?? 'Put {click_id} into this parameter of the network’s tracking link; the network sends it back in its postback.',
    ...(options.choices ? { enum: options.choices } : {}),
    default: defaultParam,
  };
}

/** What {@link readClickIdParam} found. */
export interface ClickIdParamRead {
  /** The click id, or undefined when the configured parameter was not sent (only with `optional`). */
  clickId: string | undefined;
  /** The other candidate parameters that were sent, to keep in the postback's `extras`. */
  extras: Record<string, string>;
}

/**
 * Reads the click id from the parameter configured in `clickIdParam` and keeps every other
 * parameter in `keep` (the sub IDs that did not carry it, informational values) as extras.
 *
 * Without the parameter: a {@link BadParameterError} naming it, with `hint` telling the user where
 * to put `{click_id}`; with `optional`, `clickId` is undefined instead (for networks whose
 * notifications without a click id are stored unattributed, see `AnswerContract.withoutClickId`).
 *
 * @param params the request's parameters as {@link sentParams} gives them (blanks and unfilled macros dropped)
 */
export function readClickIdParam(
  params: Readonly<Record<string, string>>,
  clickIdParam: string,
  options: { keep: readonly string[]; hint: string; optional?: boolean },
): ClickIdParamRead {
  const clickId = Object.prototype.hasOwnProperty.call(params, clickIdParam) ? params[clickIdParam] : undefined;
  if (clickId === undefined && !options.optional) {
    throw new BadParameterError(clickIdParam, `is required: it carries the Postwire click id (${options.hint})`);
  }
  const extras: Record<string, string> = {};
  for (const name of options.keep) {
    if (name !== clickIdParam && params[name] !== undefined) extras[name] = params[name];
  }
  return { clickId, extras };
}
