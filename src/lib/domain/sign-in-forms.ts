/** The staff sign-in forms: email and password, then the authenticator or recovery code. */
import { z } from 'zod';
import { text, type FormDefinition } from './fields';

export const SIGN_IN_FORM = {
	fields: [
		{ kind: 'text', name: 'email', label: 'Email address', type: 'email', autocomplete: 'username', spellcheck: false },
		{ kind: 'password', name: 'password', label: 'Password', autocomplete: 'current-password' }
	],
	schema: z.object({
		// Not the email builder: what was typed is only compared with accounts, and the page never says
		// whether an address is an account, so any text up to the length limit is looked up.
		email: text().trim().min(1, 'Enter your email address').max(254, 'Enter a correct email address and password').transform((v) => v.toLowerCase()),
		password: text().min(1, 'Enter your password').max(200, 'Enter a correct email address and password')
	})
} satisfies FormDefinition;

export const CODE_FORM = {
	fields: [
		{
			kind: 'text',
			name: 'code',
			label: 'Enter the code from your authenticator app',
			hint: 'The 6-digit code changes every 30 seconds. If you have lost your phone, enter one of your recovery codes instead.',
			width: 'short',
			inputmode: 'numeric',
			autocomplete: 'one-time-code',
			spellcheck: false
		}
	],
	schema: z.object({
		code: text().trim().min(1, 'Enter the 6-digit code from your authenticator app').max(40, 'The code is not right. Check your authenticator app and enter the newest code.')
	})
} satisfies FormDefinition;
