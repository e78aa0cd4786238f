import type { DecimalAmount } from '@postwire/core';

export interface Network {
  id: string;
  name: string;
  slug: string;
  adapter: string;
  adapterConfig: Record<string, unknown>;
  defaultCurrency: string;
  attributionWindowDays: number;
  createdAt: Date;
}

export interface Offer {
  id: string;
  name: string;
  networkId: string;
  url: string;
  payout: DecimalAmount | null;
  createdAt: Date;
}

export interface TrafficSource {
  id: string;
  name: string;
  postbackUrl: string;
  method: 'GET' | 'POST';
  forwardPixel: boolean;
  enabled: boolean;
  createdAt: Date;
}

export interface Campaign {
  id: string;
  name: string;
  trafficSourceId: string;
  offerId: string;
  externalIdParam: string;
  createdAt: Date;
}
