import Holidays from 'date-holidays';
import type { Nation } from '$lib/domain/service-hours';

/** date-holidays' region for each nation (Wales has England's bank holidays). */
const REGION: Readonly<Record<Nation, string>> = { 'england-wales': 'ENG', scotland: 'SCT', 'northern-ireland': 'NIR' };

const cache = new Map<string, [string, string][]>();

/** A nation's bank holidays (substitute days included) in the given years: ISO date to name. */
export function nationBankHolidays(nation: Nation, ...years: number[]): Map<string, string> {
	const out = new Map<string, string>();
	for (const year of years) {
		const key = `${nation}:${year}`;
		let dates = cache.get(key);
		if (!dates) {
			dates = new Holidays('GB', REGION[nation])
				.getHolidays(year)
				.filter((h) => h.type === 'public')
				.map((h) => [h.date.slice(0, 10), h.name] as [string, string]);
			cache.set(key, dates);
		}
		for (const [date, name] of dates) if (!out.has(date)) out.set(date, name);
	}
	return out;
}

/** England and Wales bank holidays (including substitute days) for the given years, as ISO dates. */
export function bankHolidays(...years: number[]): Set<string> {
	return new Set(nationBankHolidays('england-wales', ...years).keys());
}

/** Bank holidays around a date: enough for any working-day target of up to about a year. */
export function bankHolidaysAround(isoDate: string): Set<string> {
	const year = Number(isoDate.slice(0, 4));
	return bankHolidays(year - 1, year, year + 1);
}
