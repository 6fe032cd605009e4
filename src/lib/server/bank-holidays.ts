import Holidays from 'date-holidays';

const cache = new Map<number, string[]>();

/** England and Wales bank holidays (including substitute days) for the given years, as ISO dates. */
export function bankHolidays(...years: number[]): Set<string> {
	const out = new Set<string>();
	for (const year of years) {
		let dates = cache.get(year);
		if (!dates) {
			const holidays = new Holidays('GB', 'ENG');
			dates = holidays
				.getHolidays(year)
				.filter((h) => h.type === 'public')
				.map((h) => h.date.slice(0, 10));
			cache.set(year, dates);
		}
		for (const d of dates) out.add(d);
	}
	return out;
}

/** Bank holidays around a date: enough for any working-day target of up to about a year. */
export function bankHolidaysAround(isoDate: string): Set<string> {
	const year = Number(isoDate.slice(0, 4));
	return bankHolidays(year - 1, year, year + 1);
}
