// Text made safe for an XML 1.0 document, in element content or a quoted attribute: the
// five special characters escaped, and the characters XML 1.0 forbids (section 2.2, Char:
// C0 controls but tab, newline and return; lone surrogates; U+FFFE and U+FFFF) replaced by
// U+FFFD, since no escape can carry them (`&#1;` is not well-formed either).

const SPECIAL: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
// Tab, newline and return are allowed, but a parser reads a return as a newline (section
// 2.11), and an attribute's tabs and line breaks as spaces (section 3.3.3): character
// references keep them.
const IN_TEXT: Record<string, string> = { ...SPECIAL, '\r': '&#13;' };
const IN_ATTRIBUTE: Record<string, string> = { ...IN_TEXT, '\t': '&#9;', '\n': '&#10;' };
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` as XML element content. */
export function xmlText(text: string): string {
  return text.replace(FORBIDDEN, '\ufffd').replace(/[<>&"'\r]/g, (c) => IN_TEXT[c]);
}

/** `text` as the value of a quoted XML attribute, its tabs and line breaks kept. */
export function xmlAttribute(text: string): string {
  return text.replace(FORBIDDEN, '\ufffd').replace(/[<>&"'\t\n\r]/g, (c) => IN_ATTRIBUTE[c]);
}
