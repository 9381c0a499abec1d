import { ErrorBody } from '@outlay/schema';
import { z } from 'zod';
import type { RouteSpec } from './routes.js';

const statusText: Record<number, string> = {
  400: 'Invalid input: names the row, field and what was expected',
  401: 'Missing or unknown API key',
  403: 'The key may not do this, or not in this project',
  404: 'Not found',
  413: 'Body or batch too large',
  415: 'Unsupported content encoding',
  429: 'Writes are behind; retry after the Retry-After header',
};

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

/** The OpenAPI 3.1 document, generated from the route table's zod schemas. */
export function openApiDocument(routes: RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters = [
      ...[...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: schemaOf(schema as z.ZodType, 'input'),
        description: (schema as z.ZodType).description,
      })),
      ...(route.scoped
        ? [{ name: 'X-Outlay-Project', in: 'header', required: false, schema: { type: 'string' }, description: 'The project an admin key acts on (other keys belong to one project).' }]
        : []),
    ];
    const responses: Record<string, unknown> = {
      200: { description: 'OK', content: route.response ? { 'application/json': { schema: schemaOf(route.response, 'output') } } : undefined },
    };
    for (const status of [...(route.role ? [401, 403] : []), ...(route.errors ?? [])]) {
      responses[status] = { description: statusText[status] ?? 'Error', content: { 'application/json': { schema: schemaOf(ErrorBody, 'output') } } };
    }
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      description: route.description,
      security: route.role ? [{ bearer: [] }] : [],
      'x-outlay-role': route.role ?? 'none',
      parameters: parameters.length ? parameters : undefined,
      requestBody: route.body
        ? {
            required: true,
            content: Object.fromEntries(route.body.contentTypes.map((type) => [type, { schema: schemaOf(route.body!.schema, 'input') }])),
          }
        : undefined,
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Outlay API', version, description: 'What your ML costs, how well it does in money, and why it got worse.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An Outlay API key (olk_…)' } } },
    paths,
  };
}
