import { offerUrlWarnings, sourcePostbackUrlWarnings } from './url-warnings';

describe('URL warnings', () => {
  it('warns about an offer URL without {click_id}, and not about one with it or an empty one', () => {
    expect(offerUrlWarnings('https://net.example/o?aff_sub={sub1}')).toEqual([expect.stringContaining('{click_id}')]);
    expect(offerUrlWarnings('https://net.example/o?aff_sub={click_id}')).toEqual([]);
    expect(offerUrlWarnings('  ')).toEqual([]);
  });

  it("warns about a source postback URL without the source's click-id macro", () => {
    expect(sourcePostbackUrlWarnings('https://src.example/pb?payout={payout}')).toEqual([expect.stringContaining('{external_id}')]);
    expect(sourcePostbackUrlWarnings('https://src.example/pb?c={external_id}')).toEqual([]);
    expect(sourcePostbackUrlWarnings('https://src.example/pb?c={external_id}', 'clickid')).toEqual([expect.stringContaining('{clickid}')]);
  });
});
