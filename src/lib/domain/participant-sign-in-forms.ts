/**
 * The participant sign-in forms: the address a code goes to (an email address, or a UK mobile number when
 * texts are set up), then the 6-digit code. What was typed is only compared with participants' addresses,
 * and the pages never say whether an address is known.
 */
import { z } from 'zod';
import { isDeliverableAddress, text, type FormDefinition, type TextField } from './fields';
import { timeLabel } from './meetings/labels';
import { ukDate } from './uk-time';

export type SignInChannel = 'email' | 'text';
export interface SignInAddress {
	channel: SignInChannel;
	/** Lower-case email address, or a UK mobile number in national form (07...). */
	value: string;
}

const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.com';
const MOBILE_FORMAT = 'Enter a UK mobile number, like 07700 900 982';

/** A UK mobile number in national form (07 and 9 more digits), or null. Spaces, brackets, dashes and +44 allowed. */
export function ukMobile(value: string): string | null {
	const compact = value.replace(/[\s()-]/g, '');
	const national = compact.startsWith('+44') ? `0${compact.slice(3).replace(/^0/, '')}` : compact.startsWith('0044') ? `0${compact.slice(4).replace(/^0/, '')}` : compact;
	return /^07[0-9]{9}$/.test(national) ? national : null;
}

/** The sign-in address form; `texts` when GOV.UK Notify texts are configured, so a mobile number is accepted too. */
export function signInAddressForm(texts: boolean) {
	const field: TextField = texts
		? {
				kind: 'text',
				name: 'address',
				label: 'What is your email address or mobile number?',
				hint: 'Use the email address or mobile number you gave when you referred yourself. We will send you a 6-digit code to sign in. We only send codes by text message if you agreed to texts.',
				autocomplete: 'username',
				spellcheck: false
			}
		: {
				kind: 'text',
				name: 'address',
				label: 'What is your email address?',
				hint: 'Use the email address you gave when you referred yourself. We will email you a 6-digit code to sign in.',
				type: 'email',
				autocomplete: 'email',
				spellcheck: false
			};
	const empty = texts ? 'Enter your email address or mobile number' : 'Enter your email address';
	return {
		fields: [field],
		schema: z.object({
			address: text()
				.trim()
				.min(1, empty)
				.max(254, texts ? `${EMAIL_FORMAT}, or ${MOBILE_FORMAT.replace('Enter a', 'a')}` : EMAIL_FORMAT)
				.transform((v, ctx): SignInAddress => {
					if (v.includes('@') || !texts) {
						if (!isDeliverableAddress(v)) {
							ctx.addIssue({ code: 'custom', message: EMAIL_FORMAT });
							return z.NEVER;
						}
						return { channel: 'email', value: v.toLowerCase() };
					}
					const mobile = ukMobile(v);
					if (!mobile) {
						ctx.addIssue({ code: 'custom', message: /^[\d\s()+-]+$/.test(v) ? MOBILE_FORMAT : `${EMAIL_FORMAT}, or ${MOBILE_FORMAT.replace('Enter a', 'a')}` });
						return z.NEVER;
					}
					return { channel: 'text', value: mobile };
				})
		})
	} satisfies FormDefinition;
}

export const SIGN_IN_CODE_FORM = {
	fields: [
		{
			kind: 'text',
			name: 'code',
			label: 'Enter the 6-digit code',
			width: 'short',
			inputmode: 'numeric',
			autocomplete: 'one-time-code',
			spellcheck: false
		}
	],
	schema: z.object({
		code: text()
			.transform((v) => v.replace(/[\s-]/g, ''))
			.pipe(z.string().min(1, 'Enter the 6-digit code').regex(/^[0-9]{6}$/, 'The code is 6 numbers, like 123456'))
	})
} satisfies FormDefinition;

/** "Try again after 3:47pm, in 15 minutes." (UK time; "tomorrow" when the lockout ends after midnight). */
export function lockedMessage(until: Date, now: Date): string {
	const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
	// Round up to the whole minute, so "after 3:47pm" is never a little too early.
	const at = new Date(Math.ceil(until.getTime() / 60_000) * 60_000);
	const day = ukDate(at) === ukDate(now) ? '' : ' tomorrow';
	return `You have entered a wrong code too many times, so signing in with a code is locked for a while to keep your account safe. Try again after ${timeLabel(at)}${day}, in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
