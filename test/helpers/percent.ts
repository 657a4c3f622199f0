// Percent-encoding as a client (or an attacker) may write it, for the redaction tests: a
// key must be recognised in every form the server decodes.

/**
 * `text` with its lower-case letters and underscores percent-encoded (lower-case escapes),
 * or with every character encoded when `all` is set. Digits and capitals stay as they are,
 * so the result mixes encoded and plain characters, as a partly encoded key would.
 */
export const percentEncode = (text: string, all = false) =>
  [...text].map((c) => (all || /[a-z_]/.test(c) ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
