/**
 * Data minimisation per receiver (issue 12 item 6). Every receiver gets the core referral and contact
 * details; health details and equality data only when its subscription or API key was given that scope.
 * New subscriptions and keys get the core only. The event's body is fixed when it is appended; this
 * removes fields from it the same way every time, so each retry, replay and page of one event to one
 * receiver is still byte for byte the same.
 *
 * - health: the answers about health (the condition in the person's words, its kinds, its daily impact,
 *   whether they have one, secondary care, communication needs), the NHS number, check-in scores, and a
 *   wellbeing concern's kind.
 * - equality: the equality monitoring answers (gender, ethnicity).
 */
export const DATA_SCOPES = ['health', 'equality'] as const;
export type DataScope = (typeof DATA_SCOPES)[number];

export const DATA_SCOPE_LABELS: Record<DataScope, string> = {
	health: 'Health details (the condition, NHS number, check-in scores)',
	equality: 'Equality monitoring answers (gender, ethnicity)'
};

export const HEALTH_ANSWERS = ['conditionDescription', 'conditionCategories', 'dailyImpact', 'healthCondition', 'secondaryCare', 'communicationNeeds', 'nhsNumber'] as const;
export const EQUALITY_ANSWERS = ['gender', 'ethnicity'] as const;

export function readScopes(stored: unknown): DataScope[] {
	return Array.isArray(stored) ? DATA_SCOPES.filter((s) => stored.includes(s)) : [];
}

type Json = Record<string, unknown>;

/** The data part of an event or a referral, minimised in place. */
export function minimiseData(data: Json, scopes: readonly DataScope[]): void {
	const answers = data.answers as Json | undefined;
	if (!scopes.includes('health')) {
		if (answers) for (const key of HEALTH_ANSWERS) delete answers[key];
		const checkIn = data.checkIn as Json | undefined;
		if (checkIn && 'scores' in checkIn) {
			delete checkIn.scores;
			checkIn.href = `/api/v1/check-ins/${String(checkIn.id)}`;
		}
		const concern = data.concern as Json | undefined;
		if (concern) delete concern.kind;
	}
	if (!scopes.includes('equality') && answers) for (const key of EQUALITY_ANSWERS) delete answers[key];
}

/** An event body (JSON text) as a receiver with these scopes gets it; unchanged with every scope. */
export function minimiseBody(body: string, scopes: readonly DataScope[]): string {
	if (DATA_SCOPES.every((s) => scopes.includes(s))) return body;
	const parsed = JSON.parse(body) as { data?: Json };
	if (parsed.data) minimiseData(parsed.data, scopes);
	return JSON.stringify(parsed);
}
