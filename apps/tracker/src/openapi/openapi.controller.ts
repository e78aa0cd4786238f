import { Controller, Get, Header, Inject, type Type } from '@nestjs/common';
import { ApiRoute } from './api-route.decorator';
import { buildOpenApiDocument } from './openapi-document';
import { z } from 'zod';

/** The controllers whose `/api` routes the document describes (TrackerModule's own list). */
export const OPENAPI_CONTROLLERS = Symbol('OPENAPI_CONTROLLERS');
export const API_VERSION = '1.0.0';

/** The admin API's OpenAPI 3.1 document, public like the docs page that reads it. */
@Controller('api')
export class OpenApiController {
  private document?: string;

  constructor(@Inject(OPENAPI_CONTROLLERS) private readonly controllers: Type[]) {}

  @Get('openapi.json')
  @ApiRoute({ summary: 'This document (OpenAPI 3.1)', tag: 'docs', response: z.string() })
  @Header('content-type', 'application/json; charset=utf-8')
  @Header('cache-control', 'no-cache')
  openapi(): string {
    this.document ??= JSON.stringify(buildOpenApiDocument(this.controllers, { version: API_VERSION }));
    return this.document;
  }
}
