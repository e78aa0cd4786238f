import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { OPENAPI_CONTROLLERS, OpenApiController } from './openapi.controller';

/** `GET /api/openapi.json` and the docs page, describing the `/api` routes of the controllers given. */
@Module({})
export class OpenApiModule {
  static describing(controllers: Type[]): DynamicModule {
    return { module: OpenApiModule, controllers: [OpenApiController], providers: [{ provide: OPENAPI_CONTROLLERS, useValue: controllers }] };
  }
}
