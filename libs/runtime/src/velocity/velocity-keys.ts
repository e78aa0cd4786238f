import { textDigest } from '@postwire/core';

/**
 * The Redis key layout of the velocity counters (docs/fraud.md, "Velocity in Redis").
 *
 * Every key carries a hash tag, `{v<shard>}`, of one of {@link VELOCITY_SHARDS} shards chosen by the
 * counted identity (an IP, a device, a sub id value): in a Redis Cluster the keys of one shard live in
 * one slot, so each shard's commands go out as one pipeline, and the shards spread over the nodes.
 *
 * Clicks are counted in per-minute hashes, field = identity, value = count. Each minute's counts of
 * one kind are split into {@link CLICK_HASHES_PER_SHARD} small hashes per shard, so that even under a
 * flood of distinct addresses each hash stays small enough for Redis's compact listpack encoding
 * (a few bytes per field instead of a hash table entry). A sliding 60 s count is this minute's count
 * plus the previous minute's, weighted by the part of it still inside the window.
 *
 * Conversions are counted in one sorted set per identity (members: conversion identities or click
 * ids, scores: times), trimmed to the window on every write: exact, and idempotent for a member seen
 * again. Every key expires after its window plus {@link EXPIRY_SLACK_SECONDS}.
 */
export const VELOCITY_SHARDS = 64;
export const CLICK_HASHES_PER_SHARD = 256;
export const EXPIRY_SLACK_SECONDS = 10;

/** The kinds of counted identities, as short key parts. */
export type ClickDimension = 'ip' | 'ipua' | 'sub';
export type ConversionDimension = 'cv-ip' | 'dup-ip' | 'dup-dev';

/** A key and the shard its hash tag names. */
export interface ShardedKey {
  key: string;
  shard: number;
}

/** FNV-1a, 32 bits: cheap and evenly spread, enough to choose a shard and a hash (not a security boundary). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A short, fixed-size stand-in for a long identity (IP + user agent, a sub id value): 66 bits of sha1, 11 characters. */
export function shortDigest(text: string): string {
  return textDigest('sha1', text, 'base64url').slice(0, 11);
}

/** The hash holding `field`'s count of clicks of `dimension` in `minute` (minutes since the epoch). */
export function clickCounterKey(prefix: string, dimension: ClickDimension, field: string, minute: number): ShardedKey {
  const hash = fnv1a(field);
  const shard = hash % VELOCITY_SHARDS;
  const part = Math.floor(hash / VELOCITY_SHARDS) % CLICK_HASHES_PER_SHARD;
  return { key: `${prefix}{v${shard}}:${dimension}:${minute}:${part}`, shard };
}

/** The sorted set of one identity's conversions (or converting clicks). */
export function conversionSetKey(prefix: string, dimension: ConversionDimension, identity: string): ShardedKey {
  const shard = fnv1a(identity) % VELOCITY_SHARDS;
  return { key: `${prefix}{v${shard}}:${dimension}:${identity}`, shard };
}

/** The device of a click: its IP and user agent, digested (user agents are long). */
export function deviceIdentity(ip: string, userAgent: string | null | undefined): string {
  return shortDigest(`${ip}\n${userAgent ?? ''}`);
}

/** A sub id value of a campaign, digested (values may be long, and mean something only within their campaign). */
export function subIdentity(campaignId: string, param: string, value: string): string {
  return shortDigest(`${campaignId}\n${param}\n${value}`);
}
