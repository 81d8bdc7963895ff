/**
 * How our kinds (model.ts) map to vCard TYPE parameters and Apple's `X-ABLabel` labels, shared by
 * the parser and the writer so a round trip gives back the same kind.
 *
 * Writing: a kind becomes its TYPE tokens below; a kind with no row is written as TYPE=<kind> when it
 * is a plain token, so it still comes back. Reading: the TYPE set is matched exactly first, then by
 * the usual combinations (`cell`+`work`), then an Apple label (`_$!<Mobile>!$_`).
 */

type Version = '3.0' | '4.0';

interface KindRow {
  readonly kind: string;
  readonly v3: readonly string[];
  readonly v4: readonly string[];
}

function row(kind: string, v3: readonly string[], v4: readonly string[] = v3): KindRow {
  return { kind, v3, v4 };
}

const phoneRows: readonly KindRow[] = [
  row('mobile', ['cell']),
  row('home', ['home']),
  row('work', ['work']),
  row('main', ['main']),
  row('home-fax', ['home', 'fax']),
  row('work-fax', ['work', 'fax']),
  row('other-fax', ['fax']),
  row('pager', ['pager']),
  row('car', ['car']),
  row('radio', ['radio']),
  row('callback', ['callback']),
  row('isdn', ['isdn']),
  row('telex', ['telex']),
  row('tty', ['tty'], ['textphone']),
  row('assistant', ['assistant']),
  row('company-main', ['company-main']),
  row('work-mobile', ['work', 'cell']),
  row('work-pager', ['work', 'pager']),
  row('google-voice', ['google-voice']),
  row('other', ['other']),
];

const plainRows = (kinds: readonly string[]): readonly KindRow[] => kinds.map((kind) => row(kind, [kind]));

const emailRows = plainRows(['home', 'work', 'other']);
const urlRows = plainRows(['home-page', 'work', 'home', 'blog', 'profile', 'other']);
const addressRows = plainRows(['home', 'work', 'other']);
const sipRows = plainRows(['home', 'work', 'mobile', 'other']);

export type TypedProperty = 'phone' | 'email' | 'url' | 'address' | 'sip';

const tables: Record<TypedProperty, readonly KindRow[]> = {
  phone: phoneRows,
  email: emailRows,
  url: urlRows,
  address: addressRows,
  sip: sipRows,
};

/** TYPE tokens that say nothing about the kind (they are defaults, flags or transport). */
const neutral = new Set([
  'pref',
  'voice',
  'internet',
  'x400',
  'msg',
  'dom',
  'intl',
  'postal',
  'parcel',
  'x-internet',
]);

/** Apple's built-in labels (`item1.X-ABLabel:_$!<HomePage>!$_`) and the kind each stands for. */
const appleLabels: Record<string, string> = {
  mobile: 'mobile',
  iphone: 'mobile',
  main: 'main',
  home: 'home',
  work: 'work',
  other: 'other',
  homefax: 'home-fax',
  workfax: 'work-fax',
  otherfax: 'other-fax',
  pager: 'pager',
  homepage: 'home-page',
  anniversary: 'anniversary',
  school: 'school',
};

/** The relation types Apple writes as `_$!<Spouse>!$_` labels. */
export const appleRelationLabels: Record<string, string> = {
  father: 'Father',
  mother: 'Mother',
  parent: 'Parent',
  brother: 'Brother',
  sister: 'Sister',
  child: 'Child',
  friend: 'Friend',
  spouse: 'Spouse',
  partner: 'Partner',
  assistant: 'Assistant',
  manager: 'Manager',
};

/** RELATED TYPE values of RFC 6350 6.6.6 that our relation types can use directly. */
export const rfcRelatedTypes = new Set([
  'contact',
  'acquaintance',
  'friend',
  'met',
  'co-worker',
  'colleague',
  'co-resident',
  'neighbor',
  'child',
  'parent',
  'sibling',
  'spouse',
  'kin',
  'muse',
  'crush',
  'date',
  'sweetheart',
  'me',
  'agent',
  'emergency',
]);

/** The inner word of an Apple label, lower case, or undefined for a user's own label. */
export function appleLabelWord(label: string): string | undefined {
  const match = /^_\$!<(.+)>!\$_$/.exec(label.trim());
  return match ? match[1].toLowerCase() : undefined;
}

/** Kind of an Apple built-in label, if it names one. */
export function kindOfAppleLabel(label: string): string | undefined {
  const word = appleLabelWord(label);
  return word ? (appleLabels[word] ?? word) : undefined;
}

/** TYPE tokens to write for a kind; unknown plain-token kinds are written as themselves. */
export function typeTokensFor(property: TypedProperty, kind: string | undefined, version: Version): string[] {
  if (!kind) return [];
  const match = tables[property].find((entry) => entry.kind === kind);
  if (match) return [...(version === '3.0' ? match.v3 : match.v4)];
  return /^[A-Za-z0-9-]+$/.test(kind) ? [kind] : [];
}

/** Whether typeTokensFor can carry this kind (otherwise the writer uses a label). */
export function kindIsWritable(kind: string): boolean {
  return /^[A-Za-z0-9-]+$/.test(kind);
}

/**
 * The kind a set of TYPE tokens stands for. Returns the custom token itself when one unknown token
 * is left (a kind we wrote as TYPE=<kind>), or undefined when the tokens say nothing.
 */
export function kindOfTokens(property: TypedProperty, rawTokens: readonly string[]): string | undefined {
  const original = rawTokens.filter((token) => !neutral.has(token.toLowerCase()));
  const tokens = [...new Set(original.map((token) => token.toLowerCase()))];
  if (tokens.length === 0) return undefined;
  const key = [...tokens].sort().join(',');
  for (const entry of tables[property]) {
    if ([...entry.v3].sort().join(',') === key || [...entry.v4].sort().join(',') === key) return entry.kind;
  }
  const has = (token: string) => tokens.includes(token);
  if (property === 'phone') {
    const mobile = has('cell') || has('iphone') || has('mobile') || has('pcs');
    if (has('fax')) return has('home') ? 'home-fax' : has('work') ? 'work-fax' : 'other-fax';
    if (mobile) return has('work') ? 'work-mobile' : 'mobile';
    if (has('pager')) return has('work') ? 'work-pager' : 'pager';
    if (has('textphone')) return 'tty';
    if (has('main')) return 'main';
    if (has('home')) return 'home';
    if (has('work')) return 'work';
    if (has('car')) return 'car';
    if (has('isdn')) return 'isdn';
  } else {
    if (has('home')) return 'home';
    if (has('work')) return 'work';
    if (has('other')) return 'other';
  }
  const custom = original.filter((token) => !['video', 'text', 'bbs', 'modem'].includes(token.toLowerCase()));
  return custom.length === 1 ? custom[0] : undefined;
}

/** Our IM protocol names and the URI scheme IMPP uses for them. */
const imSchemes: Record<string, string> = {
  xmpp: 'xmpp',
  jabber: 'xmpp',
  'google-talk': 'xmpp',
  googletalk: 'xmpp',
  skype: 'skype',
  aim: 'aim',
  yahoo: 'ymsgr',
  msn: 'msnim',
  icq: 'icq',
  qq: 'qq',
  irc: 'irc',
  facebook: 'xmpp',
};

/** The protocol an IMPP URI scheme stands for when no X-SERVICE-TYPE says so. */
const schemeProtocols: Record<string, string> = {
  xmpp: 'xmpp',
  skype: 'skype',
  callto: 'skype',
  aim: 'aim',
  ymsgr: 'yahoo',
  msnim: 'msn',
  msn: 'msn',
  icq: 'icq',
  qq: 'qq',
  irc: 'irc',
  gg: 'gadugadu',
};

/** The URI scheme to write an IM handle with. */
export function imScheme(protocol: string | undefined): string {
  if (!protocol) return 'x-apple';
  const known = imSchemes[protocol.toLowerCase()];
  if (known) return known;
  return /^[a-z][a-z0-9+.-]*$/.test(protocol) ? protocol : 'x-apple';
}

/** The protocol of an IMPP URI scheme. */
export function protocolOfScheme(scheme: string): string | undefined {
  return schemeProtocols[scheme.toLowerCase()];
}

/** Old per-service properties (Apple, Evolution, KDE, Android) and their protocol. */
export const legacyImProperties: Record<string, string> = {
  'X-AIM': 'aim',
  'X-JABBER': 'xmpp',
  'X-SKYPE': 'skype',
  'X-SKYPE-USERNAME': 'skype',
  'X-ICQ': 'icq',
  'X-MSN': 'msn',
  'X-YAHOO': 'yahoo',
  'X-QQ': 'qq',
  'X-GOOGLE-TALK': 'google-talk',
  'X-GTALK': 'google-talk',
  'X-GADUGADU': 'gadugadu',
  'X-GROUPWISE': 'groupwise',
  'X-TWITTER': 'twitter',
  'X-MS-IMADDRESS': 'msn',
};

/** Image media types by the TYPE token of 2.1/3.0 PHOTO. */
export function mediaTypeOfToken(token: string | undefined, bytes: Uint8Array): string {
  const sniffed = sniffImage(bytes);
  if (sniffed) return sniffed;
  if (!token) return 'application/octet-stream';
  const lower = token.toLowerCase();
  if (lower.includes('/')) return lower;
  if (lower === 'jpg' || lower === 'jpeg') return 'image/jpeg';
  return `image/${lower}`;
}

/** The 2.1/3.0 PHOTO TYPE token for a media type (`image/png` → `PNG`). */
export function tokenOfMediaType(mediaType: string): string {
  const sub = mediaType.split('/')[1] ?? mediaType;
  return sub.toUpperCase() === 'JPEG' ? 'JPEG' : sub.toUpperCase();
}

function sniffImage(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'image/gif';
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return 'image/bmp';
  if (
    bytes[0] === 0x52 &&
    bytes[1] === 0x49 &&
    bytes[2] === 0x46 &&
    bytes[3] === 0x46 &&
    bytes[8] === 0x57 &&
    bytes[9] === 0x45
  ) {
    return 'image/webp';
  }
  return undefined;
}
