import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const SCHEMA_PREFIX = '#/components/schemas/';

/**
 * States in the document two rules the global validation pipe applies to every JSON body, which swagger
 * cannot read from class-validator: unknown fields are refused (`forbidNonWhitelisted`), so body schemas are
 * closed (`additionalProperties: false`); and `@IsOptional()` lets `null` through as "not given", so
 * optional fields are `nullable`. Applied to every schema a request body reaches, nested ones included.
 */
export function describeRequestBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const done = new Set<string>();
  const visit = (schema: Schema | undefined): void => {
    if (!schema) return;
    if (schema.$ref?.startsWith(SCHEMA_PREFIX)) {
      const name = schema.$ref.slice(SCHEMA_PREFIX.length);
      if (done.has(name)) return;
      done.add(name);
      return visit(schemas[name]);
    }
    schema.allOf?.forEach(visit);
    visit(schema.items);
    if (!schema.properties) return;
    if (schema.additionalProperties === undefined) schema.additionalProperties = false;
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!schema.required?.includes(name) && !property.$ref) property.nullable = true;
      visit(property);
    }
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const body = pathItem[method]?.requestBody as
        { content?: Record<string, { schema?: Schema }> } | undefined;
      if (body?.content?.['application/json']) visit(body.content['application/json'].schema);
    }
  }
  return document;
}
