/**
 * A message with one placeholder that the page draws as a link (a phone number, say): the words before
 * and after it, so translators keep the whole sentence and its word order, and the page keeps its link.
 */
const MARK = '\u2063';
export function around<K extends string>(message: (inputs: Record<K, string>) => string, name: K): [string, string] {
	const [before, after = ''] = message({ [name]: MARK } as Record<K, string>).split(MARK);
	return [before, after];
}
