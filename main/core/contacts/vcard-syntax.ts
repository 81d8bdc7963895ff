/**
 * The content-line layer of vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350): unfolding, splitting a
 * stream into cards, parsing `group.NAME;param=value:value`, quoted-printable, text escaping and
 * line folding. vcard-parse.ts and vcard-write.ts build on it.
 *
 * Why not ical.js for this layer: ical.js 2.2.1 parses 3.0/4.0 content lines well (groups, quoted
 * parameters, RFC 6868 carets), but it rejects every 2.1 card (bare `TEL;HOME;VOICE` parameters,
 * QUOTED-PRINTABLE soft line breaks), aborts the whole stream on the first bad line without a line
 * number, leaves X- property values escaped and keeps `\;` in NOTE. A file from Outlook with one bad
 * card would lose every card. This layer is small, handles all three versions the same way and
 * reports errors per card with line numbers; ical.js is used in the tests to check that what we
 * write is read back identically by an independent parser.
 */

/** One parameter as written; `values` keeps comma lists split (`TYPE=home,voice`). */
export interface VcardParam {
  readonly name: string;
  readonly values: readonly string[];
}

/** One unfolded content line. Names are upper case; `value` is still raw (escaped, encoded). */
export interface ContentLine {
  readonly group?: string;
  readonly name: string;
  /** The name as written (custom X- fields keep their spelling). */
  readonly rawName: string;
  readonly params: readonly VcardParam[];
  readonly value: string;
  /** 1-based line number of the first physical line, for error messages. */
  readonly line: number;
}

/** The raw lines of one BEGIN:VCARD ... END:VCARD block. */
export interface RawCard {
  /** 1-based line of BEGIN:VCARD. */
  readonly line: number;
  readonly lines: readonly { readonly text: string; readonly line: number }[];
  /** Set when the block itself is broken (no END:VCARD); the card is then not usable. */
  readonly error?: string;
}

/** A syntax problem in one card, naming the line so the user can find it. */
export class VcardSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'VcardSyntaxError';
  }
}

const beginPattern = /^BEGIN\s*:\s*VCARD\s*$/i;
const endPattern = /^END\s*:\s*VCARD\s*$/i;

/**
 * Splits text into unfolded logical lines per card. Folding (CRLF + space/tab) is undone here;
 * 2.1 quoted-printable soft breaks (`=` at the end of a line) are joined too, because Outlook
 * writes them without the leading space that folding needs.
 */
export function splitCards(
  text: string,
  /** Line number of the text's first line (a piece cut from a bigger file). */
  firstLine = 1,
): { cards: RawCard[]; stray: { line: number; text: string }[] } {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const logical: { text: string; line: number }[] = [];
  // Continuations are collected as parts and joined once: appending to one string and scanning it
  // again per physical line is quadratic for a photo folded over hundreds of lines.
  let current: PendingLine | undefined;
  let softBreak = false;
  const finish = (pending: PendingLine) => logical.push({ text: pending.parts.join(''), line: pending.line });
  for (let index = 0; index < physical.length; index++) {
    const raw = physical[index]!;
    if (current && softBreak) {
      // Quoted-printable continuation: the next physical line continues the value as is.
      const last = current.parts.length - 1;
      current.parts[last] = current.parts[last]!.slice(0, -1);
      current.parts.push(raw);
      softBreak = raw.endsWith('=') && isQuotedPrintable(current);
      continue;
    }
    if (current && (raw.startsWith(' ') || raw.startsWith('\t'))) {
      const part = raw.slice(1);
      current.parts.push(part);
      softBreak = part.endsWith('=') && isQuotedPrintable(current);
      continue;
    }
    if (current) finish(current);
    current =
      raw.trim() === '' ? undefined : { parts: [raw], line: index + firstLine, quotedPrintable: undefined };
    softBreak = current !== undefined && raw.endsWith('=') && isQuotedPrintable(current);
  }
  if (current) finish(current);

  const cards: RawCard[] = [];
  const stray: { line: number; text: string }[] = [];
  let open: { line: number; lines: { text: string; line: number }[] } | undefined;
  for (const entry of logical) {
    if (beginPattern.test(entry.text.trim())) {
      if (open) {
        cards.push({
          ...open,
          error: `The card starting at line ${open.line} has no END:VCARD before the next BEGIN:VCARD at line ${entry.line}.`,
        });
      }
      open = { line: entry.line, lines: [] };
    } else if (endPattern.test(entry.text.trim())) {
      if (open) cards.push(open);
      else stray.push(entry);
      open = undefined;
    } else if (open) {
      open.lines.push(entry);
    } else {
      stray.push(entry);
    }
  }
  if (open) {
    cards.push({ ...open, error: `The card starting at line ${open.line} ends without END:VCARD.` });
  }
  return { cards, stray };
}

/** A logical line being unfolded; whether it is quoted-printable is known once its name part is. */
interface PendingLine {
  readonly parts: string[];
  readonly line: number;
  quotedPrintable: boolean | undefined;
}

function isQuotedPrintable(pending: PendingLine): boolean {
  if (pending.quotedPrintable !== undefined) return pending.quotedPrintable;
  const text = pending.parts.join('');
  const colon = text.indexOf(':');
  // Until the ':' has been seen, a folded parameter list may still bring the encoding.
  if (colon < 0) return /quoted-printable/i.test(text);
  pending.quotedPrintable = /quoted-printable/i.test(text.slice(0, colon));
  return pending.quotedPrintable;
}

const namePattern = /^[A-Za-z0-9-]+$/;

/** Parses one unfolded content line; throws VcardSyntaxError naming the line when it is not one. */
export function parseContentLine(text: string, line: number, version: string): ContentLine {
  let position = 0;
  // Name (with optional group) runs to the first ';' or ':'.
  while (position < text.length && text[position] !== ';' && text[position] !== ':') position++;
  if (position >= text.length) {
    throw new VcardSyntaxError(`Line ${line} has no ':' between the property name and its value.`, line);
  }
  const fullName = text.slice(0, position).trim();
  const dot = fullName.lastIndexOf('.');
  const group = dot > 0 ? fullName.slice(0, dot) : undefined;
  const rawName = dot > 0 ? fullName.slice(dot + 1) : fullName;
  const name = rawName.toUpperCase();
  if (!namePattern.test(name) || (group !== undefined && !/^[A-Za-z0-9-.]+$/.test(group))) {
    throw new VcardSyntaxError(`Line ${line} has an invalid property name "${fullName.slice(0, 40)}".`, line);
  }
  const params: VcardParam[] = [];
  while (text[position] === ';') {
    position++;
    const start = position;
    while (position < text.length && !'=;:'.includes(text[position])) position++;
    const paramName = text.slice(start, position).trim().toUpperCase();
    if (text[position] !== '=') {
      // vCard 2.1 bare parameter (`TEL;HOME;VOICE`): a TYPE value, or ENCODING/VALUE shorthand.
      if (paramName) params.push(bareParam(paramName));
      continue;
    }
    position++;
    const values: string[] = [];
    for (;;) {
      let value = '';
      if (text[position] === '"') {
        const close = text.indexOf('"', position + 1);
        if (close < 0) {
          throw new VcardSyntaxError(`Line ${line} has a parameter quote that is never closed.`, line);
        }
        value = text.slice(position + 1, close);
        position = close + 1;
      } else {
        const begin = position;
        while (position < text.length && !',;:'.includes(text[position])) position++;
        value = text.slice(begin, position);
      }
      values.push(version === '4.0' ? decodeCaret(value) : value);
      if (text[position] === ',') {
        position++;
        continue;
      }
      break;
    }
    // A quoted TYPE list ("home,voice", RFC 6350 examples) is still a list.
    const split = paramName === 'TYPE' ? values.flatMap((value) => value.split(',')) : values;
    params.push({ name: paramName, values: split.map((value) => value.trim()).filter((value) => value) });
  }
  if (text[position] !== ':') {
    throw new VcardSyntaxError(`Line ${line} has no ':' between the property name and its value.`, line);
  }
  if (!name) throw new VcardSyntaxError(`Line ${line} has no property name.`, line);
  return { group, name, rawName, params, value: text.slice(position + 1), line };
}

function bareParam(token: string): VcardParam {
  if (['QUOTED-PRINTABLE', 'BASE64', '8BIT', '7BIT', 'B'].includes(token)) {
    return { name: 'ENCODING', values: [token] };
  }
  if (token === 'URL' || token === 'URI') return { name: 'VALUE', values: [token] };
  return { name: 'TYPE', values: [token] };
}

/** RFC 6868: ^n newline, ^^ caret, ^' double quote inside 4.0 parameter values. */
function decodeCaret(value: string): string {
  return value.replace(/\^(n|N|\^|')/g, (_match, code: string) =>
    code === '^' ? '^' : code === "'" ? '"' : '\n',
  );
}

/** All values of a parameter, case-insensitive name. */
export function paramValues(line: ContentLine, name: string): string[] {
  return line.params.filter((param) => param.name === name).flatMap((param) => param.values);
}

/**
 * The value as text: quoted-printable and CHARSET decoded (2.1), escapes undone. `\:` is accepted
 * because Google's export escapes colons in URLs.
 */
export function decodeRawValue(line: ContentLine): string {
  const encoding = paramValues(line, 'ENCODING')[0]?.toUpperCase();
  if (encoding === 'QUOTED-PRINTABLE') {
    const charset = paramValues(line, 'CHARSET')[0] ?? 'utf-8';
    return decodeQuotedPrintable(line.value, charset);
  }
  return line.value;
}

/** Decodes quoted-printable bytes in the given charset (Outlook writes windows-1252 or utf-8). */
export function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(index + 1, index + 3))) {
      bytes.push(parseInt(value.slice(index + 1, index + 3), 16));
      index += 2;
    } else if (char === '=' && index === value.length - 1) {
      // A trailing soft break left over: nothing to add.
    } else {
      const encoded = new TextEncoder().encode(char);
      bytes.push(...encoded);
    }
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset.toLowerCase());
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** Undoes text escaping: `\\`, `\n`, `\N`, `\,`, `\;`, `\:`. Other backslashes stay as written. */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\nN,;:])/g, (_match, char: string) =>
    char === 'n' || char === 'N' ? '\n' : char,
  );
}

/** Splits on a separator that is not escaped, leaving each part still escaped. */
export function splitUnescaped(value: string, separator: ';' | ','): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '\\' && index + 1 < value.length) {
      current += char + value[index + 1];
      index++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Escapes a text value: backslash, comma and newlines always; semicolons when `semicolon` is set.
 * RFC 2426 (3.0) escapes `;` in every text value, but RFC 6350 (4.0) allows `\;` only inside
 * structured values (N, ADR, ORG, GENDER): its TEXT-CHAR grammar has no `\;`, and strict readers
 * such as ical.js keep the backslash in a 4.0 NOTE.
 */
export function escapeText(value: string, semicolon = true): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/,/g, '\\,');
  return semicolon ? escaped.replace(/;/g, '\\;') : escaped;
}

/**
 * Formats a parameter value, quoting it when it holds `;`, `:` or `,`. In 4.0 newlines and double
 * quotes use RFC 6868 carets; 3.0 has no way to carry them, so they become a space and `'`.
 */
export function formatParamValue(value: string, version: '3.0' | '4.0'): string {
  let text = value;
  if (version === '4.0') {
    text = text
      .replace(/\^/g, '^^')
      .replace(/\r\n|\r|\n/g, '^n')
      .replace(/"/g, "^'");
  } else {
    text = text.replace(/\r\n|\r|\n/g, ' ').replace(/"/g, "'");
  }
  return /[;:,\s]/.test(text) || text === '' ? `"${text}"` : text;
}

/**
 * Folds one content line at 75 octets (RFC 6350 3.2, RFC 2426 2.6) with CRLF + space, never inside a
 * UTF-8 sequence, and ends it with CRLF.
 */
export function foldLine(line: string): string {
  // Most lines are short: skip the octet count when even 4 octets per UTF-16 unit would fit.
  if (line.length <= 18) return `${line}\r\n`;
  const octets = Buffer.byteLength(line, 'utf8');
  if (octets <= 75) return `${line}\r\n`;
  const pieces: string[] = [];
  if (octets === line.length) {
    // ASCII only (a photo's base64, most notes): one octet per unit, cut by position.
    pieces.push(line.slice(0, 75));
    for (let from = 75; from < line.length; from += 74) pieces.push(line.slice(from, from + 74));
    return `${pieces.join('\r\n ')}\r\n`;
  }
  let start = 0;
  let used = 0;
  let limit = 75;
  for (let index = 0; index < line.length;) {
    const code = line.charCodeAt(index);
    // A surrogate pair is one character of 4 octets; it is never cut.
    const next = line.charCodeAt(index + 1);
    const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    const units = pair ? 2 : 1;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (used + size > limit) {
      pieces.push(line.slice(start, index));
      start = index;
      used = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    used += size;
    index += units;
  }
  pieces.push(line.slice(start));
  return `${pieces.join('\r\n ')}\r\n`;
}
