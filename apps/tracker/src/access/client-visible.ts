import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ClientViewInterceptor } from './client-view.interceptor';

export const CLIENT_VISIBLE = 'postwire:client-visible';
/**
 * Marks a read route a `client` user may call. Such a route must narrow what it returns to
 * `scope.allowedCampaignIds` (and answer 404 for a campaign outside it); every unmarked route
 * refuses clients with 403. Its JSON answers lose cost, profit and ROI fields for a user whose view
 * hides profit, and the source, visitor and raw-postback fields a client was not allowed (see
 * ClientViewInterceptor); a CSV route must leave those columns out itself.
 */
export const ClientVisible = () => applyDecorators(SetMetadata(CLIENT_VISIBLE, true), UseInterceptors(ClientViewInterceptor));
