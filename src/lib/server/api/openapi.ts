/**
 * The OpenAPI 3.1 document of the pull API, served at /api/v1/openapi.json (docs/api.md). Event bodies are
 * described by the webhook payload's JSON Schema, published at /api/v1/schema/events.json, so the two feeds
 * cannot drift apart in the documentation either.
 */
import { CLOSE_REASON_CODES, STATUSES } from '$lib/domain/casework';
import { CONCERN_RESOLUTION_CODES } from '$lib/domain/measures/concern-resolution';
import { INSTRUMENT_IDS } from '$lib/domain/measures';
import { z } from 'zod';
import { CONCERN_KINDS, checkInScoresSchema } from '../events/measures-payload';
import { SCHEMA_PATH, WEBHOOK_EVENT_TYPES, eventPayloadJsonSchema } from '../events/payload';
import { API_ERROR_CODES, API_RATE_LIMIT, type ApiErrorCode } from './errors';
import { DEFAULT_EVENT_LIMIT, MAX_EVENT_LIMIT } from './events';

const errorRef = (description: string, codes: ApiErrorCode[]) => ({
	description: `${description}. error.code is one of: ${codes.join(', ')}`,
	headers: { 'Cache-Control': { $ref: '#/components/headers/NoStore' } },
	content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
});

/** Every address answers a method it does not take with 405 and the methods it does take. */
const methodError = {
	'405': {
		...errorRef('This address does not take that HTTP method: the Allow header lists the ones it does', ['method_not_allowed']),
		headers: {
			'Cache-Control': { $ref: '#/components/headers/NoStore' },
			Allow: { description: 'The methods this address takes, like "GET, HEAD"', required: true, schema: { type: 'string' } }
		}
	}
};

/** The published documents (this one and the event schema): public, cached for an hour, readable from any site. */
const publicDocument = (description: string) => ({
	description,
	headers: {
		'Cache-Control': { $ref: '#/components/headers/PublicDocument' },
		'Access-Control-Allow-Origin': { description: 'Any site may read it', schema: { type: 'string', const: '*' } }
	},
	content: { 'application/json': { schema: { type: 'object' } } }
});

/** The scores' JSON Schema, as in the event schema (without its own $schema line). */
function scoresJsonSchema(): Record<string, unknown> {
	const { $schema: _schema, ...schema } = z.toJSONSchema(checkInScoresSchema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
	return schema;
}

/** The event JSON Schema without its own `$id` and `$schema` (it has no `$ref`s, so it stands anywhere). */
function inlineEventSchema(origin: string): Record<string, unknown> {
	const { $id: _id, $schema: _schema, ...schema } = eventPayloadJsonSchema(origin);
	return schema;
}

export function openApiDocument(origin: string): Record<string, unknown> {
	const base = origin.replace(/\/+$/, '');
	const eventsSchema = `${base}${SCHEMA_PATH}`;
	const authErrors = {
		'401': {
			...errorRef('No key, an unknown key or a revoked key', ['unauthorized', 'invalid_key', 'revoked_key']),
			headers: {
				'Cache-Control': { $ref: '#/components/headers/NoStore' },
				'WWW-Authenticate': {
					description: 'RFC 6750: `Bearer realm="ips-portal", error="invalid_request"` without a key, `error="invalid_token"` for a wrong or revoked one',
					required: true,
					schema: { type: 'string' }
				}
			}
		},
		'429': {
			...errorRef(`Too many requests (${API_RATE_LIMIT.limit} a minute per key; wrong keys are limited per client address)`, ['rate_limited']),
			headers: {
				'Cache-Control': { $ref: '#/components/headers/NoStore' },
				'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } }
			}
		},
		'500': errorRef('Something went wrong in the portal', ['internal_error']),
		...methodError,
		'503': {
			...errorRef('The portal cannot reach its database just now (a restart or an outage): send the request again after Retry-After seconds', ['database_unavailable']),
			headers: {
				'Cache-Control': { $ref: '#/components/headers/NoStore' },
				'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } }
			}
		}
	};
	const idParam = (what: string) => ({
		name: 'id',
		in: 'path',
		required: true,
		description: `The ${what} id, as in the event that links here`,
		schema: { type: 'string', format: 'uuid' }
	});
	const referenceParam = {
		name: 'reference',
		in: 'path',
		required: true,
		description: 'The referral reference, like ACDE-FGHJ (the dash and case do not matter)',
		schema: { type: 'string', examples: ['ACDE-FGHJ'] }
	};
	return {
		openapi: '3.1.0',
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		info: {
			title: 'IPS portal pull API',
			version: '1.0.0',
			description:
				'For case systems that cannot receive webhooks: read the event log page by page, read a referral, and send a status back. ' +
				'Check-in and wellbeing concern events link here for the scores and the concern (`/check-ins/{id}`, `/concerns/{id}`). ' +
				'Every request needs an API key (`Authorization: Bearer ips_...`), made with `npm run cli -- api-key create` and covering named programmes. ' +
				'Responses are JSON and never cached (`Cache-Control: no-store`), except the two public documents (this one and the event schema, ' +
				'cached for an hour); errors carry a stable `error.code`, and an address answers a method it does not take with `405 method_not_allowed`. ' +
				'Without the health data scope a key reads no check-in or wellbeing event and no answer in the person\'s own words. See docs/api.md.'
		},
		servers: [{ url: `${base}/api/v1` }],
		security: [{ apiKey: [] }],
		tags: [{ name: 'events' }, { name: 'referrals' }, { name: 'wellbeing' }, { name: 'documents' }],
		paths: {
			'/openapi.json': {
				get: {
					tags: ['documents'],
					operationId: 'getOpenApiDocument',
					summary: 'This OpenAPI document',
					description: 'Public (no key): it describes the API and holds nothing secret. Valid OpenAPI 3.1 and self-contained.',
					security: [],
					responses: { '200': publicDocument('The OpenAPI 3.1 document'), ...methodError }
				}
			},
			'/schema/events.json': {
				get: {
					tags: ['documents'],
					operationId: 'getEventSchema',
					summary: 'The JSON Schema of every event (webhook bodies and pull API items)',
					description: 'Public (no key), at a stable address: the JSON Schema (2020-12) that every webhook body and every item of GET /events validates against. See docs/webhooks.md.',
					security: [],
					responses: { '200': publicDocument('The JSON Schema (2020-12)'), ...methodError }
				}
			},
			'/events': {
				get: {
					tags: ['events'],
					operationId: 'listEvents',
					summary: 'Events after a cursor, oldest first',
					description:
						'Events of the programmes the key covers, in the order they happened (committed). Start without `after`; then pass `next_cursor` ' +
						'from each response as `after`. Every event comes exactly once across pages, even while new events are being written: ' +
						'a page never skips an event that appears later. When `has_more` is false, wait a little and ask again with the same cursor. ' +
						'Each item is the same JSON a webhook receiver gets as its body, less what the key was not given: without the health scope, ' +
						'check-in and wellbeing events are left out (in the query itself, so pages stay full and cursors exact) and asking for them by `type` is 403 `forbidden_data`.',
					parameters: [
						{ name: 'after', in: 'query', description: 'next_cursor of the previous page; leave out to start at the first event', schema: { type: 'string' } },
						{
							name: 'limit',
							in: 'query',
							description: `Events per page, 1 to ${MAX_EVENT_LIMIT}`,
							schema: { type: 'integer', minimum: 1, maximum: MAX_EVENT_LIMIT, default: DEFAULT_EVENT_LIMIT }
						},
						{
							name: 'type',
							in: 'query',
							description: 'Only these event types (repeat the parameter or separate with commas)',
							style: 'form',
							explode: true,
							schema: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] } }
						},
						{
							name: 'programme',
							in: 'query',
							description: 'Only these programmes (ids); each must be covered by the key',
							style: 'form',
							explode: true,
							schema: { type: 'array', items: { type: 'string' } }
						}
					],
					responses: {
						'200': {
							description: 'A page of events',
							headers: { 'Cache-Control': { $ref: '#/components/headers/NoStore' } },
							content: { 'application/json': { schema: { $ref: '#/components/schemas/EventPage' } } }
						},
						'400': errorRef('A bad cursor or query', ['invalid_cursor', 'invalid_request']),
						'403': errorRef('A programme filter the key does not cover, or a check-in or wellbeing event type asked for by a key without the health scope', ['forbidden_programme', 'forbidden_data']),
						...authErrors
					}
				}
			},
			'/referrals/{reference}': {
				get: {
					tags: ['referrals'],
					operationId: 'getReferral',
					summary: 'One referral as it is now',
					description: 'The same fields as `data` in an event, without `sequence`, `actor` and `change`. Each read is recorded in the audit log.',
					parameters: [referenceParam],
					responses: {
						'200': {
							description: 'The referral',
							headers: { 'Cache-Control': { $ref: '#/components/headers/NoStore' } },
							content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralResponse' } } }
						},
						'404': errorRef('No referral has this reference', ['not_found']),
						'410': errorRef('The person\'s personal data was erased', ['erased']),
						...authErrors
					}
				}
			},
			'/referrals/{reference}/fhir': {
				get: {
					tags: ['referrals'],
					operationId: 'getReferralFhir',
					summary: 'One referral as a FHIR R4 Bundle',
					description:
						'A FHIR R4 `Bundle` (type `collection`) with a UK Core `ServiceRequest` (the referral) and a UK Core `Patient` (the person; the NHS number as the official identifier only with a standing consent; the language they used, BCP 47, as their preferred `communication`). The same 404 rule and audit entry as GET /referrals/{reference}. See docs/api.md.',
					parameters: [referenceParam],
					responses: {
						'200': {
							description: 'The referral as FHIR R4',
							headers: { 'Cache-Control': { $ref: '#/components/headers/NoStore' } },
							content: {
								'application/fhir+json': {
									schema: {
										type: 'object',
										required: ['resourceType', 'type', 'entry'],
										properties: {
											resourceType: { const: 'Bundle' },
											type: { const: 'collection' },
											timestamp: { type: 'string', format: 'date-time' },
											entry: { type: 'array', items: { type: 'object', properties: { fullUrl: { type: 'string' }, resource: { type: 'object' } } } }
										}
									}
								}
							}
						},
						'404': errorRef('No referral has this reference', ['not_found']),
						'410': errorRef('The person\'s personal data was erased', ['erased']),
						...authErrors
					}
				}
			},
			'/referrals/{reference}/status': {
				post: {
					tags: ['referrals'],
					operationId: 'updateReferralStatus',
					summary: 'Send a status back from the case system',
					description:
						'Changes the status as a team lead could (a closed referral may be reopened; nothing goes back to received). The change shows in the ' +
						'staff history, the audit log and the event log (`referral.status_changed`, so webhooks too). Send a new `Idempotency-Key` for each change: ' +
						'repeating a request with the same key and body returns the first response (header `Idempotent-Replayed: true`) and changes nothing; ' +
						'the same key with another body is refused (422).',
					parameters: [
						referenceParam,
						{
							name: 'Idempotency-Key',
							in: 'header',
							required: true,
							description: '1 to 255 printable ASCII characters; a new UUID for each change. Kept per API key.',
							schema: { type: 'string', minLength: 1, maxLength: 255 }
						}
					],
					requestBody: {
						required: true,
						content: { 'application/json': { schema: { $ref: '#/components/schemas/StatusUpdate' } } }
					},
					responses: {
						'200': {
							description: 'The status was changed (or this is the replay of a request that changed it)',
							headers: {
								'Cache-Control': { $ref: '#/components/headers/NoStore' },
								'Idempotent-Replayed': { description: '"true" when this is the stored response of an earlier request', schema: { type: 'string', enum: ['true'] } }
							},
							content: { 'application/json': { schema: { $ref: '#/components/schemas/StatusResult' } } }
						},
						'400': errorRef('Missing Idempotency-Key, or a body that is not valid', ['idempotency_key_required', 'invalid_request']),
						'403': errorRef('A read-only key cannot send changes', ['read_only_key']),
						'404': errorRef('No referral has this reference', ['not_found']),
						'410': errorRef('The person\'s personal data was erased', ['erased']),
						'409': {
							...errorRef('The referral cannot move to that status (kept under the Idempotency-Key like a success)', ['invalid_transition']),
							content: { 'application/json': { schema: { $ref: '#/components/schemas/TransitionError' } } }
						},
						'422': errorRef('The Idempotency-Key was used before for a different request', ['idempotency_key_reused']),
						...authErrors
					}
				}
			},
			'/webhook-deliveries': {
				get: {
					tags: ['events'],
					operationId: 'listWebhookDeliveries',
					summary: 'What the portal tried to send to your webhook receivers, newest first',
					description:
						'Deliveries of events in the key\'s programmes to subscriptions that cover one of them: status (pending, delivered, dead), attempts and the last answer. No bodies and no secrets. Page with `before` = the `next_before` of the previous page.',
					parameters: [
						{ name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['pending', 'delivered', 'dead'] } },
						{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
						{ name: 'before', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } }
					],
					responses: {
						'200': {
							description: 'A page of deliveries',
							headers: { 'Cache-Control': { $ref: '#/components/headers/NoStore' } },
							content: {
								'application/json': {
									schema: {
										type: 'object',
										required: ['data', 'next_before'],
										properties: {
											data: {
												type: 'array',
												items: {
													type: 'object',
													properties: {
														id: { type: 'integer' },
														subscription: { type: 'object', properties: { id: { type: 'string' }, url: { type: 'string' } } },
														event: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, reference: { type: ['string', 'null'] } } },
														status: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
														attempts: { type: 'integer' },
														lastStatusCode: { type: ['integer', 'null'] },
														lastError: { type: ['string', 'null'] },
														nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
														deliveredAt: { type: ['string', 'null'], format: 'date-time' },
														queuedAt: { type: 'string', format: 'date-time' }
													}
												}
											},
											next_before: { type: ['integer', 'null'] }
										}
									}
								}
							}
						},
						'400': errorRef('A query value that is not valid', ['invalid_request']),
						...authErrors
					}
				}
			},
			'/check-ins/{id}': {
				get: {
					tags: ['wellbeing'],
					operationId: 'getCheckIn',
					summary: 'One check-in\'s scores',
					description:
						'What `checkin.completed` links to (`data.checkIn.href`) when the programme keeps health data out of events. ' +
						'The programme setting governs what is pushed, not this read: a key covering the check-in\'s programme and given the health scope gets the scores; ' +
						'a key without the health scope gets 403 `forbidden_data` for every id, whether it exists or not. ' +
						'Scores only (the same typed shape as `scores` in the event), never the answers to single questions. Each read is recorded in the audit log. ' +
						'An id in a programme the key does not cover is answered as if it did not exist.',
					parameters: [idParam('check-in')],
					responses: {
						'200': {
							description: 'The check-in',
							headers: { 'Cache-Control': { $ref: '#/components/headers/NoStore' } },
							content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckInResponse' } } }
						},
						'403': errorRef('The key was not given the health scope (the same answer for every id)', ['forbidden_data']),
						'404': errorRef('No check-in has this id (or not in a programme the key covers)', ['not_found']),
						...authErrors
					}
				}
			},
			'/concerns/{id}': {
				get: {
					tags: ['wellbeing'],
					operationId: 'getConcern',
					summary: 'One wellbeing concern',
					description:
						'What `wellbeing.concern_raised` links to (`data.concern.href`): the concern, whether it is resolved, and the reasons the specialist sees ' +
						'(plain words, never answers). Needs a key given the health scope (403 `forbidden_data` otherwise, for every id). ' +
						'Each read is recorded in the audit log. An id in a programme the key does not cover is answered as if it did not exist.',
					parameters: [idParam('concern')],
					responses: {
						'200': {
							description: 'The concern',
							headers: { 'Cache-Control': { $ref: '#/components/headers/NoStore' } },
							content: { 'application/json': { schema: { $ref: '#/components/schemas/ConcernResponse' } } }
						},
						'403': errorRef('The key was not given the health scope (the same answer for every id)', ['forbidden_data']),
						'404': errorRef('No concern has this id (or not in a programme the key covers)', ['not_found']),
						...authErrors
					}
				}
			}
		},
		components: {
			securitySchemes: {
				apiKey: {
					type: 'http',
					scheme: 'bearer',
					bearerFormat: 'ips_ followed by 32 characters',
					description: 'An API key from `npm run cli -- api-key create --name <name> --programme <id>`, shown once when it is made'
				}
			},
			headers: {
				NoStore: { description: 'Responses are never cached', schema: { type: 'string', const: 'no-store' } },
				PublicDocument: { description: 'A published document: any cache may keep it for an hour', schema: { type: 'string', const: 'public, max-age=3600' } }
			},
			schemas: {
				Error: {
					type: 'object',
					required: ['error'],
					properties: {
						error: {
							type: 'object',
							required: ['code', 'message'],
							properties: {
								code: {
									type: 'string',
									enum: Object.keys(API_ERROR_CODES),
									description: Object.entries(API_ERROR_CODES)
										.map(([code, e]) => `${code} (${e.status}): ${e.description}`)
										.join('\n')
								},
								message: { type: 'string', description: 'For people; may change. Use code in programs.' },
								details: {
									type: 'array',
									description: 'For invalid_request: each field and what is wrong with it',
									items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } }
								}
							}
						}
					}
				},
				TransitionError: {
					allOf: [
						{ $ref: '#/components/schemas/Error' },
						{
							type: 'object',
							properties: { current: { type: 'object', properties: { reference: { type: 'string' }, status: { type: 'string', enum: [...STATUSES] } } } }
						}
					]
				},
				// Inline, so validators that work offline need nothing else; the same schema is served at SCHEMA_PATH.
				Event: { ...inlineEventSchema(origin), description: `One event, exactly as a webhook body. The same JSON Schema is served at ${eventsSchema}` },
				EventPage: {
					type: 'object',
					required: ['data', 'next_cursor', 'has_more'],
					properties: {
						data: { type: 'array', items: { $ref: '#/components/schemas/Event' } },
						next_cursor: { type: 'string', description: 'Pass as `after` for the next page. Opaque: do not build or change it.' },
						has_more: { type: 'boolean', description: 'True when more events are waiting right now' }
					}
				},
				ReferralResponse: {
					type: 'object',
					required: ['data'],
					properties: {
						data: {
							type: 'object',
							description: `The fields of data in an event (${eventsSchema}) without sequence, actor and change: reference, programme, status, closedReason, assignedTo, source, eligibilityOutcome, submittedAt, contactTargetDate, firstContactAt, statusChangedAt, person, contactPreferences, consents (with the version of each wording), answers, preferredLanguage (the language the person used, BCP 47: en-GB, cy or ur) and jobs.`,
							additionalProperties: true
						}
					}
				},
				CheckInScores: scoresJsonSchema(),
				CheckInResponse: {
					type: 'object',
					required: ['data'],
					properties: {
						data: {
							type: 'object',
							required: ['id', 'instrument', 'pointId', 'completedAt', 'reference', 'programme', 'scores'],
							properties: {
								id: { type: 'string', format: 'uuid' },
								instrument: { type: 'string', enum: [...INSTRUMENT_IDS] },
								pointId: { type: ['string', 'null'], description: 'The schedule point this check-in answered; null when done outside the schedule' },
								completedAt: { type: 'string', format: 'date-time' },
								reference: { type: 'string', description: 'The referral reference' },
								programme: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
								scores: { $ref: '#/components/schemas/CheckInScores' }
							}
						}
					},
					examples: [
						{
							data: {
								id: '0b5c1e1a-7f43-4d0e-9a53-2d4f1c1b2a10',
								instrument: 'dialog',
								pointId: 'start',
								completedAt: '2027-03-29T10:12:00.000Z',
								reference: 'ACDE-FGHJ',
								programme: { id: 'gm-ips-primary-care', name: 'IPS Primary Care, Greater Manchester' },
								scores: { instrument: 'dialog', lifeMean: 4.38, treatmentMean: 5, lifeAnswered: 8, treatmentAnswered: 3 }
							}
						}
					]
				},
				ConcernResponse: {
					type: 'object',
					required: ['data'],
					properties: {
						data: {
							type: 'object',
							required: ['id', 'kind', 'checkInId', 'checkInHref', 'raisedAt', 'acknowledgedAt', 'resolvedAt', 'resolution', 'reasons', 'reference', 'programme'],
							properties: {
								id: { type: 'string', format: 'uuid' },
								kind: { type: 'string', enum: [...CONCERN_KINDS] },
								checkInId: { type: ['string', 'null'], format: 'uuid' },
								checkInHref: { type: ['string', 'null'], description: 'The check-in that raised it, to fetch with GET /check-ins/{id}' },
								raisedAt: { type: 'string', format: 'date-time' },
								acknowledgedAt: {
									type: ['string', 'null'],
									format: 'date-time',
									description: 'When someone on the team acknowledged it ("I am dealing with this", or by recording what was done); null until then'
								},
								resolvedAt: { type: ['string', 'null'], format: 'date-time', description: 'When staff recorded what they did about it; null while open' },
								resolution: {
									type: ['string', 'null'],
									enum: [...CONCERN_RESOLUTION_CODES, null],
									description: 'What staff did: spoke-to-them, no-answer, passed-on (to their GP or crisis team) or other; null while open. Their note stays in the portal'
								},
								reasons: { type: 'array', items: { type: 'string' }, description: 'What the specialist is told, in plain words (never answers)' },
								reference: { type: 'string' },
								programme: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } }
							}
						}
					}
				},
				StatusUpdate: {
					type: 'object',
					required: ['status'],
					additionalProperties: false,
					properties: {
						status: { type: 'string', enum: [...STATUSES] },
						reason: {
							type: ['string', 'null'],
							enum: [...CLOSE_REASON_CODES, null],
							description: 'Close reason code; needed for status closed, not allowed otherwise'
						},
						note: { type: ['string', 'null'], maxLength: 1000, description: 'Kept in the audit log; not sent in events or webhooks' }
					},
					examples: [{ status: 'contacted' }, { status: 'closed', reason: '003', note: 'Three calls and a text, no reply' }]
				},
				StatusResult: {
					type: 'object',
					required: ['data'],
					properties: {
						data: {
							type: 'object',
							required: ['reference', 'status', 'previousStatus', 'closedReason', 'statusChangedAt'],
							properties: {
								reference: { type: 'string' },
								status: { type: 'string', enum: [...STATUSES] },
								statusLabel: { type: 'string' },
								previousStatus: { type: 'string', enum: [...STATUSES] },
								closedReason: { type: ['string', 'null'] },
								statusChangedAt: { type: 'string', format: 'date-time' }
							}
						}
					}
				}
			}
		}
	};
}
