/**
 * Postwire's own parameter names, first name canonical, then the aliases accepted for it. The
 * generic postback and the pixel speak exactly these.
 */
export const CANONICAL_PARAMS = {
  clickId: ['click_id', 'clickid', 'cid', 'subid'],
  txid: ['txid', 'transaction_id', 'tid'],
  payout: ['payout'],
  revenue: ['amount', 'revenue'],
  status: ['status'],
  goal: ['goal'],
  currency: ['currency'],
  country: ['country'],
  buyerIp: ['buyer_ip'],
} as const;
