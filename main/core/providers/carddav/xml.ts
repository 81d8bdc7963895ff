/**
 * A small namespace-aware XML reader for WebDAV multistatus answers. Servers spell namespaces every
 * way (Radicale: a default `DAV:` namespace; Xandikos: `ns0:`; iCloud: `d:`), so elements are matched
 * by namespace URI and local name, never by prefix. Text is kept exactly (no trimming, no type
 * guessing), which matters for `address-data`: a vCard must reach the parser byte for byte.
 * Handles elements, attributes, text, CDATA, comments, processing instructions and the five named
 * plus numeric entities; a DOCTYPE is refused (servers never send one, and it is how entity bombs start).
 */

export const DAV = 'DAV:';
export const CARDDAV = 'urn:ietf:params:xml:ns:carddav';
export const CALSERVER = 'http://calendarserver.org/ns/';

export interface XmlElement {
  readonly ns: string;
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

/** Thrown when a body is not well-formed XML; the DAV client turns it into a sentence. */
export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return named[body] ?? whole;
  });
}

interface Frame {
  readonly element: XmlElement;
  readonly prefixes: Map<string, string>;
  readonly qname: string;
}

const attributePattern = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Parses a document and returns its root element. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { ns: '', name: '#document', children: [], text: '' };
  const stack: Frame[] = [{ element: root, prefixes: new Map([['xml', 'xml']]), qname: '' }];
  let index = 0;
  const length = text.length;
  while (index < length) {
    const open = text.indexOf('<', index);
    const top = stack[stack.length - 1];
    if (open < 0) {
      if (text.slice(index).trim()) throw new XmlError('Text after the end of the document.');
      break;
    }
    if (open > index && stack.length > 1) top.element.text += decodeEntities(text.slice(index, open));
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open + 4);
      if (end < 0) throw new XmlError('An unterminated comment.');
      index = end + 3;
    } else if (text.startsWith('<![CDATA[', open)) {
      const end = text.indexOf(']]>', open + 9);
      if (end < 0) throw new XmlError('An unterminated CDATA section.');
      top.element.text += text.slice(open + 9, end);
      index = end + 3;
    } else if (text.startsWith('<?', open)) {
      const end = text.indexOf('?>', open + 2);
      if (end < 0) throw new XmlError('An unterminated processing instruction.');
      index = end + 2;
    } else if (text.startsWith('<!', open)) {
      throw new XmlError('A DOCTYPE or declaration, which a DAV answer never holds.');
    } else if (text[open + 1] === '/') {
      const end = text.indexOf('>', open);
      if (end < 0) throw new XmlError('An unterminated end tag.');
      const qname = text.slice(open + 2, end).trim();
      if (stack.length < 2 || top.qname !== qname) throw new XmlError(`A mismatched end tag </${qname}>.`);
      stack.pop();
      index = end + 1;
    } else {
      const end = findTagEnd(text, open);
      const selfClosing = text[end - 1] === '/';
      const inner = text.slice(open + 1, selfClosing ? end - 1 : end);
      const nameEnd = inner.search(/[\s]/);
      const qname = nameEnd < 0 ? inner : inner.slice(0, nameEnd);
      const prefixes = new Map(top.prefixes);
      if (nameEnd >= 0) {
        for (const match of inner.slice(nameEnd).matchAll(attributePattern)) {
          const attribute = match[1];
          const value = decodeEntities(match[3] ?? match[4] ?? '');
          if (attribute === 'xmlns') prefixes.set('', value);
          else if (attribute.startsWith('xmlns:')) prefixes.set(attribute.slice(6), value);
        }
      }
      const colon = qname.indexOf(':');
      const prefix = colon < 0 ? '' : qname.slice(0, colon);
      const ns = prefixes.get(prefix);
      if (ns === undefined && prefix) throw new XmlError(`The prefix "${prefix}" is not declared.`);
      const element: XmlElement = {
        ns: ns ?? '',
        name: colon < 0 ? qname : qname.slice(colon + 1),
        children: [],
        text: '',
      };
      top.element.children.push(element);
      if (!selfClosing) stack.push({ element, prefixes, qname });
      index = end + 1;
    }
  }
  if (stack.length !== 1) throw new XmlError('The document ended inside an element.');
  const documentElement = root.children[0];
  if (!documentElement) throw new XmlError('The document is empty.');
  return documentElement;
}

/** The index of the `>` that closes the tag opened at `open`, skipping quoted attribute values. */
function findTagEnd(text: string, open: number): number {
  let quote: string | undefined;
  for (let index = open + 1; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '>') return index;
  }
  throw new XmlError('An unterminated tag.');
}

/** The direct children named `ns`:`name`. */
export function childrenOf(element: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return element ? element.children.filter((child) => child.ns === ns && child.name === name) : [];
}

/** The first direct child named `ns`:`name`. */
export function childOf(element: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return element?.children.find((child) => child.ns === ns && child.name === name);
}

/** Escapes text for an XML body. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
