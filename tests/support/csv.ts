/** Reads CSV text (RFC 4180: quoted cells may hold commas, quotes doubled, and line breaks) into rows of cells. */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
			else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') row.push(cell), (cell = '');
		else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
			if (ch === '\r') i++;
			row.push(cell);
			rows.push(row);
			(row = []), (cell = '');
		} else cell += ch;
	}
	if (cell !== '' || row.length) rows.push([...row, cell]);
	return rows;
}
