/** A custom HTTP answer for networks that expect a specific success body (e.g. `OK`). */
export interface AdapterResponse {
  status?: number;
  contentType?: string;
  body: string;
}
