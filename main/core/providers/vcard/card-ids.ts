/**
 * The two ids a restore target is searched by, read from vCard text without parsing whole cards:
 * each card's UID (the source's id, kept on restore) and its X-CONTACTS-BACKUP-RESTORE-ID (the
 * restore identity of the run that wrote it). Cheap enough to scan a folder of 100,000 cards.
 */
import { unescapeText } from '../../contacts/vcard-syntax';

/** One card of a file and where it lies in the text (offsets into the string). */
export interface CardIds {
  readonly uid?: string;
  readonly restoreId?: string;
  readonly start: number;
  readonly end: number;
}

const lineBreak = /\r\n|\n|\r/g;

/** The ids of every whole card in `text` (a torn card at the end is left out). */
export function cardIds(text: string): CardIds[] {
  const cards: CardIds[] = [];
  let start = -1;
  let uid: string | undefined;
  let restoreId: string | undefined;
  let position = 0;
  let previous = '';
  const handle = (line: string, lineStart: number, lineEnd: number) => {
    const upper = line.slice(0, 40).toUpperCase();
    if (upper.startsWith('BEGIN:VCARD')) {
      start = lineStart;
      uid = undefined;
      restoreId = undefined;
    } else if (upper.startsWith('END:VCARD') && start >= 0) {
      cards.push({ uid, restoreId, start, end: lineEnd });
      start = -1;
    } else if (start >= 0) {
      const name = upper.replace(/^[A-Z0-9-]+\./, '').split(/[;:]/, 1)[0];
      if (name === 'UID' || name === 'X-CONTACTS-BACKUP-RESTORE-ID') {
        const value = unescapeText(line.slice(line.indexOf(':') + 1).trim());
        if (name === 'UID') uid = value;
        else restoreId = value;
      }
    }
  };
  // Unfold: a line starting with a space or tab continues the previous one.
  let pendingStart = 0;
  for (const match of text.matchAll(lineBreak)) {
    const line = text.slice(position, match.index);
    const next = match.index + match[0].length;
    if (line.startsWith(' ') || line.startsWith('\t')) previous += line.slice(1);
    else {
      if (previous) handle(previous, pendingStart, position);
      previous = line;
      pendingStart = position;
    }
    position = next;
  }
  const tail = text.slice(position);
  if (tail.startsWith(' ') || tail.startsWith('\t')) previous += tail.slice(1);
  else {
    if (previous) handle(previous, pendingStart, position);
    previous = tail;
    pendingStart = position;
  }
  if (previous) handle(previous, pendingStart, text.length);
  return cards;
}
