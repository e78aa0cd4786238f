import { checkInputTree, checkParams, type ParamLimits } from '@postwire/security';
import { ApiError } from './api-error';

/** Reasons in words, for the 400 message. */
const REASONS: Record<string, string> = {
  too_many_params: 'too many parameters',
  repeated_param: 'given more than once; send one value',
  forbidden_key: 'is not an allowed parameter name',
  key_too_long: 'parameter name is too long',
  value_too_long: 'value is too long',
  control_character: 'contains control characters',
  invalid_utf8: 'is not valid UTF-8',
  not_a_string: 'must be a plain value',
  not_a_finite_number: 'must be a finite number',
  too_deep: 'is nested too deeply',
};

/**
 * A query or form map as single, bounded, clean strings; anything else is a 400 naming the parameter.
 * `limits` default to the strict ones of the generic endpoint.
 */
export function singleValuedParams(raw: unknown, limits?: ParamLimits): Record<string, string> {
  const check = checkParams((raw ?? {}) as Record<string, unknown>, limits);
  if (!check.ok) throw ApiError.badParameter(check.param, REASONS[check.reason] ?? check.reason);
  return check.params;
}

/**
 * A nested JSON body gets the rules of {@link singleValuedParams} at every depth: the same key and
 * value lengths, no control characters (CR/LF included), no broken encoding, finite numbers. The
 * 400 names the value by its path (`order.items[0].sku`).
 */
export function nestedParams(body: unknown, limits: ParamLimits = {}): void {
  const check = checkInputTree(body, {
    maxKeyLength: limits.maxKeyLength ?? 64,
    maxValueLength: limits.maxValueLength ?? 2048,
    allowLineBreaks: limits.allowLineBreaks,
  });
  if (!check.ok) throw ApiError.badParameter(check.path, REASONS[check.reason] ?? check.reason);
}
