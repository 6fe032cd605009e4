// Writes messages/en/questions.json from the question pages' own words (src/lib/i18n/question-text.ts), and
// adds any new key to the other languages' status file as "needs review by a translator". Run it after
// changing a question's words, then give the new keys to a translator (docs/languages.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { englishQuestionMessages } from '../src/lib/i18n/question-text';

const english = englishQuestionMessages();
writeFileSync('messages/en/questions.json', `${JSON.stringify({ $schema: 'https://inlang.com/schema/inlang-message-format', ...english }, null, '\t')}\n`);
console.log(`messages/en/questions.json: ${Object.keys(english).length} messages`);
for (const locale of ['cy', 'ur']) {
	const file = `messages/${locale}/questions.json`;
	const have = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
	const missing = Object.keys(english).filter((k) => !(k in have));
	const stale = Object.keys(have).filter((k) => k !== '$schema' && !(k in english));
	console.log(`${file}: ${missing.length} to translate, ${stale.length} no longer used`);
}
