import type { paths } from './schema';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** The paths that answer this method. */
export type PathWith<M extends Method> = { [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never }[keyof paths];
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON a successful call answers (200 or 201), generated from the OpenAPI document: no hand-written API shapes in the console. */
export type AnswerOf<P extends PathWith<M>, M extends Method> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer Ok }
    ? Json<Ok>
    : R extends { 201: infer Created }
      ? Json<Created>
      : never
  : never;
/** What a GET of this path answers. */
export type ReadOf<P extends PathWith<'get'>> = AnswerOf<P, 'get'>;
