import { renderDelivery, type DeliveryValues } from '@postwire/core';
import { defineTarget, type TargetConversion } from './forwarding-target';

/** A conversion as the URL template's macros see it (the same names as a traffic source's postback URL). */
export function postbackUrlValues(conversion: TargetConversion): DeliveryValues {
  return {
    click_id: conversion.click.id,
    conversion_id: conversion.id,
    payout: conversion.payout,
    revenue: conversion.revenue,
    status: conversion.status,
    txid: conversion.txid,
    goal: conversion.goal,
    currency: conversion.currency,
  };
}

/**
 * The built-in target every traffic source has unless it chooses another: its postback URL template,
 * filled with the conversion's macros. Real deliveries of this target are rendered by the recorder
 * from the traffic source's own settings (payout share, status words, headers), exactly as before
 * targets existed; this object describes it to the console and the conformance kit, and renders the same
 * request from the same code (`renderDelivery`).
 */
export const postbackUrlTarget = defineTarget({
  id: 'postback-url',
  displayName: 'Postback URL',
  configSchema: {
    url: { type: 'string', title: 'Postback URL', description: 'The URL template, with macros such as {external_id} and {payout}', required: true },
    method: { type: 'string', title: 'Method', description: 'HTTP method', enum: ['GET', 'POST'], default: 'GET' },
    bodyFormat: { type: 'string', title: 'Body format', description: 'Body of a POST', enum: ['json', 'form'], default: 'json' },
  },
  events: [],
  defaultMapping: [],
  build(conversion, config) {
    const request = renderDelivery(
      {
        postbackUrl: config.url,
        method: config.method === 'POST' ? 'POST' : 'GET',
        bodyFormat: config.bodyFormat === 'form' ? 'form' : 'json',
        headers: {},
        payoutShare: null,
        statusMap: null,
      },
      postbackUrlValues(conversion),
    );
    return { kind: 'send', event: null, request };
  },
  read(answer) {
    const code = answer.statusCode;
    if (code === null) return { kind: 'retry', reason: answer.error ?? 'no answer' };
    if (code >= 200 && code < 300) return { kind: 'delivered' };
    if (code === 410) return { kind: 'permanent', reason: 'receiver answered 410 Gone' };
    return { kind: 'retry', reason: `HTTP ${code}` };
  },
});
