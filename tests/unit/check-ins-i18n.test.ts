/**
 * Issue 25: the check-ins' own words and the progress page in Welsh and Urdu (src/lib/i18n/check-ins.ts,
 * src/lib/i18n/progress.ts). English is exactly what the measures modules give; the messages that say
 * their words again, asked for in English, give the same words from the same numbers (so the Welsh and
 * Urdu cannot say something the chart and table do not); every check-in error message has a translation;
 * the questionnaires' own words are never among the messages.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFormData, type FormDefinition } from '../../src/lib/domain/fields';
import {
	CHARTED_INSTRUMENTS,
	DIALOG_AREAS,
	INSTRUMENTS,
	MEASURE_NAMES,
	QUESTIONNAIRE_ABOUT,
	QUESTIONNAIRE_IDS,
	REVIEW_OUTCOMES,
	REVIEW_OUTCOME_WORDS,
	actionReviewForm,
	changeWords,
	chooseAreasForm,
	dialogAreaForm,
	dialogAreaProgress,
	measureProgress,
	measureTitle,
	questionForm,
	resultSentences,
	scoreLines,
	type ChartedInstrument,
	type DialogAreaCheckIn,
	type DialogRatings,
	type ScoredCheckIn
} from '../../src/lib/domain/measures';
import { DEFAULT_SERVICE_SETTINGS, WEEKDAY_NAMES, openingHoursWords, serviceCalendar, whenTeamSeesIt } from '../../src/lib/domain/service-hours';
import {
	SAID_AGAIN as CHECK_IN_WORDS,
	changeWordsIn,
	checkInErrorWords,
	checkInErrors,
	isolated,
	openingHoursIn,
	questionCountWords,
	questionnaireAboutWords,
	resultWords,
	reviewOutcomeWords,
	stepCaption,
	whenTeamSeesItWords
} from '../../src/lib/i18n/check-ins';
import { SAID_AGAIN as PROGRESS_WORDS, dialogAreaWords, measureWords } from '../../src/lib/i18n/progress';
import { HINTS } from '../../src/lib/server/measures/progress-view';
import en from '../../messages/en/account.json';
import cy from '../../messages/cy/account.json';
import ur from '../../messages/ur/account.json';

const EN = { locale: 'en' as const };
const LOCALES = ['cy', 'ur'] as const;
const DAY = 24 * 60 * 60 * 1000;

/** A charted measure's check-in with answers from `pick` (0..1), scored by the registry. */
function checkIn(instrument: ChartedInstrument, at: Date, pick: (i: number) => number): ScoredCheckIn {
	const registered = INSTRUMENTS[instrument];
	const answers = registered.items.map((item, i) => {
		const options = item.scale.options;
		const n = Math.floor(pick(i) * (options.length + (item.skippable ? 1 : 0)));
		return n >= options.length ? null : options[n].value;
	});
	return { instrument, at, result: registered.score(answers as never) } as ScoredCheckIn;
}

describe('messages that say the measures modules’ English again', () => {
	it('hold the same English', () => {
		for (const id of QUESTIONNAIRE_IDS) {
			expect(CHECK_IN_WORDS.ABOUT[id].heading({}, EN)).toBe(QUESTIONNAIRE_ABOUT[id].heading);
			expect(CHECK_IN_WORDS.ABOUT[id].about({}, EN)).toBe(QUESTIONNAIRE_ABOUT[id].about);
		}
		for (const o of REVIEW_OUTCOMES) expect(CHECK_IN_WORDS.REVIEW_WORDS[o]({}, EN)).toBe(REVIEW_OUTCOME_WORDS[o]);
		expect(CHECK_IN_WORDS.WEEKDAYS.map((say) => say({}, EN))).toEqual([...WEEKDAY_NAMES]);
		for (const id of CHARTED_INSTRUMENTS) {
			const words = PROGRESS_WORDS.MEASURE_WORDS[id];
			expect(words.title({}, EN)).toBe(measureTitle(id));
			expect(words.phrase({}, EN)).toBe(MEASURE_NAMES[id].phrase);
			expect(words.note({}, EN)).toBe(MEASURE_NAMES[id].note);
			expect(words.hint({}, EN)).toBe(HINTS[id]);
			for (const line of scoreLines(id)) {
				expect(PROGRESS_WORDS.LINE_WORDS[line.key].name({}, EN)).toBe(line.name);
				expect(PROGRESS_WORDS.LINE_WORDS[line.key].subject({}, EN)).toBe(line.subject);
				const meaning = PROGRESS_WORDS.MEANINGS[line.key];
				expect(meaning ? { fall: `which means ${meaning.fall({}, EN)}`, rise: `which means ${meaning.rise({}, EN)}` } : undefined).toEqual(line.meaning);
			}
		}
	});

	it('are given as they are in English', () => {
		for (const id of QUESTIONNAIRE_IDS) expect(questionnaireAboutWords(id, 'en')).toBe(QUESTIONNAIRE_ABOUT[id]);
		expect(questionCountWords(7, 'Tick one.', 'en')).toEqual({ count: 'There are 7 questions, one on each page. It takes a few minutes.', instructions: ' Tick one.' });
		expect(questionCountWords(1, 'Tick one.', 'en').count).toBe('There is 1 question, one on each page. It takes a few minutes.');
		expect(stepCaption('question', 2, 9, 'en')).toBe('Question 2 of 9');
		expect(stepCaption('area', 3, 11, 'en')).toBe('Area 3 of 11');
		expect(stepCaption('action', 1, 2, 'en')).toBe("Last time's actions: 1 of 2");
		const errors = { answer: 'Choose the answer that fits you best' };
		expect(checkInErrors(errors, 'en')).toBe(errors);
		for (const o of REVIEW_OUTCOMES) expect(reviewOutcomeWords(o, 'en')).toBe(REVIEW_OUTCOME_WORDS[o]);
		for (const [a, b] of [[null, null], [3, null], [null, 4], [4, 4], [2, 5], [6, 1]] as const) expect(changeWordsIn(a, b, 'en')).toBe(changeWords(a, b));
		expect(isolated('116 123', 'en')).toBe('116 123');
		expect(isolated('116 123', 'ur')).toBe('\u2068116 123\u2069');
	});

	it('give the result sentences, from the same templates, as resultSentences does', () => {
		fc.assert(
			fc.property(fc.constantFrom(...CHARTED_INSTRUMENTS), fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 14, maxLength: 14 }), (id, picks) => {
				const { result } = checkIn(id, new Date(), (i) => picks[i]);
				expect(resultWords(id, result, 'en')).toEqual(resultSentences(id, result));
				const templated = scoreLines(id).flatMap((line) => {
					const sentence = resultSentences(id, result).find((s) => s.startsWith(`Your ${line.subject} is `));
					return sentence ? [sentence] : [];
				});
				expect(resultSentences(id, result)).toEqual(templated);
				for (const locale of LOCALES) expect(resultWords(id, result, locale)).toHaveLength(templated.length);
			})
		);
		expect(resultWords('eq5d5l', { vas: 70 }, 'en')).toEqual(resultSentences('eq5d5l', { vas: 70 }));
		expect(resultWords('eq5d5l', { vas: 70 }, 'cy')).toEqual(["Rhoesoch chi 70 allan o 100 i'ch iechyd heddiw."]);
	});
});

describe('progress in words', () => {
	const start = new Date('2027-01-04T10:00:00Z');

	it('says in English, from the messages, exactly what measureProgress says: so each language says it from the same numbers', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...CHARTED_INSTRUMENTS),
				fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 14, maxLength: 14 })), { maxLength: 5 }),
				(id, points) => {
					const checkIns = points.map(([days, picks]) => checkIn(id, new Date(start.getTime() + days * DAY), (i) => picks[i]));
					const progress = measureProgress(id, checkIns);
					const words = measureWords(progress, 'en');
					expect(words.title).toBe(progress.title);
					expect(words.note).toBe(progress.note);
					expect(words.hint).toBe(HINTS[id]);
					expect(words.sentences).toEqual(progress.sentences);
					expect(words.chart).toEqual(progress.chart);
					expect(words.table).toEqual(progress.table);
					for (const locale of LOCALES) {
						const said = measureWords(progress, locale);
						expect(said.sentences).toHaveLength(progress.sentences.length);
						const notAnswered = (locale === 'cy' ? cy : ur).ap_not_answered;
						expect(said.table.rows.map((r) => r.cells.map((c) => (c === notAnswered ? 'Not answered' : c)))).toEqual(progress.table.rows.map((r) => r.cells));
						expect(said.chart.datasets.map((d) => d.data)).toEqual(progress.chart.datasets.map((d) => d.data));
					}
				}
			)
		);
	});

	it('says DIALOG+ area by area as dialogAreaProgress does, the areas’ names in English', () => {
		const rating = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 7 }));
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.array(fc.tuple(rating, fc.boolean()), { minLength: 11, maxLength: 11 })), { maxLength: 4 }), (points) => {
				const checkIns: DialogAreaCheckIn[] = points.map(([days, answers]) => ({
					at: new Date(start.getTime() + days * DAY),
					ratings: Object.fromEntries(DIALOG_AREAS.map((a, i) => [a.key, { rating: answers[i][0], moreHelp: answers[i][0] === null ? null : answers[i][1] }])) as DialogRatings
				}));
				expect(dialogAreaWords(checkIns, 'en')).toEqual(dialogAreaProgress(checkIns));
				for (const locale of LOCALES) {
					const said = dialogAreaWords(checkIns, locale);
					expect(said?.table.rows.map((r) => r.area)).toEqual(dialogAreaProgress(checkIns)?.table.rows.map((r) => r.area));
				}
			})
		);
	});

	it('is in Welsh and Urdu, with the dates in the language', () => {
		const progress = measureProgress('swemwbs', [checkIn('swemwbs', new Date('2027-03-12T10:00:00Z'), () => 0.3), checkIn('swemwbs', new Date('2027-06-12T10:00:00Z'), () => 0.9)]);
		const cyWords = measureWords(progress, 'cy');
		expect(cyWords.title).toBe('Eich lles');
		expect(cyWords.sentences[0]).toMatch(/^Mae eich sgôr lles wedi codi o [\d.]+ i [\d.]+ ers 12 Mawrth 2027\.$/);
		expect(cyWords.table.columns).toEqual(['Dyddiad', 'Sgôr lles (7 i 35)']);
		expect(cyWords.chart.panels[0].axis).toBe('Sgôr, 7 i 35: mae uwch yn well');
		expect(measureWords(progress, 'ur').sentences[0]).toContain('خیریت کا اسکور');
	});
});

describe('the check-ins’ error messages', () => {
	const forms: FormDefinition[] = [
		...QUESTIONNAIRE_IDS.flatMap((id) => INSTRUMENTS[id].items.map((_, i) => questionForm(INSTRUMENTS[id], i))),
		...DIALOG_AREAS.map((a) => dialogAreaForm(a)),
		chooseAreasForm(Object.fromEntries(DIALOG_AREAS.map((a) => [a.key, { rating: 4, moreHelp: false }]))),
		actionReviewForm({ area: 'job-situation', action: 'Look at two job adverts.' })
	];
	const wrong = [
		{ answer: '', rating: '', moreHelp: '', outcome: '' },
		{ answer: 'x', rating: '3', moreHelp: '', outcome: 'maybe' },
		{ answer: '101', rating: 'eight', moreHelp: '', outcome: 'done' }
	];

	it('are all in Welsh and Urdu', () => {
		const english = new Set<string>();
		for (const form of forms)
			for (const values of wrong) {
				const data = new URLSearchParams(values);
				for (const key of ['mental-health', 'job-situation', 'friendships', 'nope']) data.append('areas', key);
				const parsed = parseFormData(form, data);
				if (!parsed.ok) for (const message of Object.values(parsed.errors)) english.add(message);
			}
		expect(english.size).toBeGreaterThanOrEqual(7);
		for (const text of english)
			for (const locale of LOCALES) {
				const said = checkInErrorWords(text, locale);
				expect(said, `${locale}: ${text}`).not.toBe(text);
				expect(said.trim()).not.toBe('');
			}
	});
});

describe('the team’s hours, after a crisis answer', () => {
	const calendar = serviceCalendar({ ...DEFAULT_SERVICE_SETTINGS }, new Map());

	it('are said as service-hours.ts says them in English', () => {
		for (const at of ['2026-12-07T05:30:00Z', '2026-12-07T10:00:00Z', '2026-12-05T12:00:00Z'])
			expect(whenTeamSeesItWords(calendar, new Date(at), 'en')).toBe(whenTeamSeesIt(calendar, new Date(at)));
		expect(openingHoursIn(DEFAULT_SERVICE_SETTINGS, 'en')).toEqual(openingHoursWords(DEFAULT_SERVICE_SETTINGS));
	});

	it('are in Welsh and Urdu, never "soon"', () => {
		expect(whenTeamSeesItWords(calendar, new Date('2026-12-07T05:30:00Z'), 'cy')).toBe("Mae ein tîm wedi cau nawr. Byddan nhw'n gweld hyn pan fyddan nhw'n agor nesaf: Dydd Llun, 7 Rhagfyr am 09:00.");
		expect(whenTeamSeesItWords(calendar, new Date('2026-12-07T10:00:00Z'), 'cy')).toContain('tan 17:00 heddiw');
		expect(openingHoursIn(DEFAULT_SERVICE_SETTINGS, 'cy')).toEqual(['Dydd Llun – Dydd Gwener, 09:00 i 17:00']);
		expect(openingHoursIn({ ...DEFAULT_SERVICE_SETTINGS, openingHours: [] }, 'ur')).toEqual(['ہر روز بند']);
	});
});

describe('the messages', () => {
	it('never hold a questionnaire’s own words (its items and answers)', () => {
		const ours = Object.entries(en as Record<string, string>).filter(([key]) => key.startsWith('ap_'));
		expect(ours.length).toBeGreaterThan(150);
		const theirs = new Set(
			Object.values(INSTRUMENTS).flatMap((i) => [...i.items.map((item) => item.text), ...i.items.flatMap((item) => item.scale.options.map((o) => o.label)), i.instructions])
		);
		for (const [key, text] of ours) expect(theirs.has(text), key).toBe(false);
		for (const [key] of ours) for (const file of [cy, ur] as Record<string, string>[]) expect(file[key], key).toBeTruthy();
	});
});
