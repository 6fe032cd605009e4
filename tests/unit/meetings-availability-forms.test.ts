import { describe, expect, it } from 'vitest';
import { validateRaw } from '../../src/lib/domain/fields';
import {
	bookingSettingsForm,
	bookingSettingsValues,
	isVideoLink,
	modesWords,
	venueForm,
	videoLinkForm,
	wallHoursWords,
	wallTimeWords,
	weeklyPatternForm
} from '../../src/lib/domain/meetings/availability-forms';
import { DEFAULT_BOOKING_SETTINGS } from '../../src/lib/domain/meetings/settings';

describe('availability words', () => {
	it('reads wall-clock times in words', () => {
		expect(['00:00', '00:30', '09:00', '11:59', '12:00', '13:05', '17:30', '23:45'].map(wallTimeWords)).toEqual([
			'12:00am',
			'12:30am',
			'9:00am',
			'11:59am',
			'12:00pm',
			'1:05pm',
			'5:30pm',
			'11:45pm'
		]);
		expect(wallHoursWords('09:00', '17:00')).toBe('9:00am to 5:00pm');
	});
	it('lists the ways to meet', () => {
		expect(modesWords(['video', 'phone'], null)).toBe('by phone and by video call');
		expect(modesWords(['phone', 'video', 'in-person'], 'Central Library')).toBe('in person at Central Library, by phone and by video call');
		expect(modesWords(['phone'], null)).toBe('by phone');
	});
});

describe('availability forms', () => {
	it('offers the days in order and the venues given', () => {
		const { fields } = weeklyPatternForm([{ id: 'v1', name: 'Central Library' }]);
		const weekday = fields.find((f) => f.name === 'weekday');
		expect(weekday?.kind === 'select' && weekday.options.map((o) => o.label)).toEqual(['Choose a day', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
		const venue = fields.find((f) => f.name === 'venueId');
		expect(venue?.kind === 'select' && venue.options).toEqual([
			{ value: '', label: 'No venue' },
			{ value: 'v1', label: 'Central Library' }
		]);
	});
	it('takes https video links only', () => {
		expect(isVideoLink('https://video.example.org/sam')).toBe(true);
		for (const bad of ['http://video.example.org/sam', 'https://localhost/x', 'https://user:pw@video.example.org/', 'javascript:alert(1)', 'https://a b.org', 'video.example.org'])
			expect(isVideoLink(bad), bad).toBe(false);
		expect(validateRaw(videoLinkForm, { videoLink: '' })).toMatchObject({ ok: true, values: { videoLink: null } });
	});
	it('reads a venue, with the postcode tidied and yes or no for the private room', () => {
		const raw = { name: ' Central Library ', address: "St Peter's Square", postcode: 'm25pd', accessibilityNotes: '', privateRoom: 'no' };
		expect(validateRaw(venueForm, raw)).toMatchObject({ ok: true, values: { name: 'Central Library', postcode: 'M2 5PD', privateRoom: false, accessibilityNotes: '' } });
		expect(validateRaw(venueForm, { ...raw, address: '', privateRoom: 'maybe' })).toMatchObject({
			ok: false,
			errors: { address: 'Enter the address of the venue', privateRoom: 'Choose yes if the venue has a private room for meetings' }
		});
	});
	it('round-trips the booking settings through the form, with the version it was opened at', () => {
		const parsed = validateRaw(bookingSettingsForm, bookingSettingsValues(DEFAULT_BOOKING_SETTINGS, 7));
		expect(parsed).toMatchObject({ ok: true, values: { ...DEFAULT_BOOKING_SETTINGS, version: 7 } });
		expect(validateRaw(bookingSettingsForm, { ...bookingSettingsValues(DEFAULT_BOOKING_SETTINGS, 7), version: 'junk' })).toMatchObject({ ok: true, values: { version: undefined } });
	});
});
