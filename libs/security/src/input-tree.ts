import { badCharacter, safeLogValue, type ParamRejectReason } from './input-limits';

/** Why {@link checkInputTree} refused a value. */
export type TreeRejectReason = Exclude<ParamRejectReason, 'too_many_params' | 'repeated_param' | 'not_a_string'> | 'not_a_finite_number' | 'too_deep';

/** Limits of {@link checkInputTree}. Characters are always checked; lengths only when given (UTF-16 code units). */
export interface TreeLimits {
  maxKeyLength?: number;
  maxValueLength?: number;
  /** Default 32, as for request bodies. */
  maxDepth?: number;
  /** CR and LF pass in values (an adapter whose network sends multi-line values); keys never. */
  allowLineBreaks?: boolean;
}

/** Result of {@link checkInputTree}; `path` (`a.b[2].c`) is escaped and cut, safe to echo or log. */
export type TreeCheck = { ok: true } | { ok: false; path: string; reason: TreeRejectReason };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * Walks any parsed input (a JSON body at every depth, a query map, path parameters) and applies
 * the character rules of {@link checkParams} to every key and every string: no control characters
 * but tab (so no NUL, CR or LF), no lone surrogates, no U+FFFD (bytes that were not UTF-8). Numbers
 * must be finite (`1e400` parses to Infinity), keys must not be `__proto__`, `constructor` or
 * `prototype`. Iterative, so depth cannot overflow the stack. The first problem is returned with
 * the path of the value, so a 400 can name it.
 */
export function checkInputTree(root: unknown, limits: TreeLimits = {}, rootPath = ''): TreeCheck {
  const { maxKeyLength, maxValueLength, maxDepth = 32, allowLineBreaks = false } = limits;
  const fail = (path: string, reason: TreeRejectReason): TreeCheck => ({ ok: false, path: safeLogValue(path === '' ? 'body' : path, 128), reason });
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (maxValueLength !== undefined && value.length > maxValueLength) return fail(path, 'value_too_long');
      const problem = badCharacter(value, allowLineBreaks);
      if (problem) return fail(path, problem);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return fail(path, 'not_a_finite_number');
    } else if (value !== null && typeof value === 'object') {
      if (depth >= maxDepth) return fail(path, 'too_deep');
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: childPath(path, i), depth: depth + 1 });
      } else {
        const keys = Object.keys(value);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i];
          const here = childPath(path, key);
          if (FORBIDDEN_KEYS.has(key)) return fail(here, 'forbidden_key');
          if (maxKeyLength !== undefined && key.length > maxKeyLength) return fail(here, 'key_too_long');
          const keyProblem = badCharacter(key);
          if (keyProblem) return fail(here, keyProblem);
          stack.push({ value: (value as Record<string, unknown>)[key], path: here, depth: depth + 1 });
        }
      }
    }
  }
  return { ok: true };
}
