import { SUB_PARAMS } from '../click/macros';
import type { DeliveryValues } from '../attribution/delivery-plan';

/** What a test delivery reports about its made-up conversion; everything else gets a sample value. */
export interface SampleConversion {
  externalId: string;
  payout: string;
  currency: string;
  status: string;
  goal: string;
  conversionId: string;
}

/**
 * Every macro a delivery can fill, with a recognisable sample value, so a test delivery never sends
 * a literal `{sub1}`: the known macros, then any other `{name}` the source's URL template names (a
 * macro of a newer Postwire, a typo) as `test-name`, which shows the operator what would be filled.
 */
export function sampleDeliveryValues(template: string, conversion: SampleConversion): DeliveryValues {
  const values: DeliveryValues = {
    external_id: conversion.externalId,
    click_id: 'test-click',
    conversion_id: conversion.conversionId,
    campaign_id: 'test-campaign',
    payout: conversion.payout,
    revenue: conversion.payout,
    status: conversion.status,
    txid: `test-${conversion.conversionId.slice(0, 8)}`,
    goal: conversion.goal,
    currency: conversion.currency,
    fraud_score: '0',
    fraud_reason: '',
  };
  for (const sub of SUB_PARAMS) values[sub] = `test-${sub}`;
  for (const [, name] of template.matchAll(/\{([a-z0-9_]+)\}/gi)) {
    const key = name.toLowerCase();
    if (!(key in values)) values[key] = `test-${key}`;
  }
  return values;
}
