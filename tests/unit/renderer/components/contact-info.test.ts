import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { ContactInfo } from '../../../../renderer/src/components/contact-info';
import { InfoPane, InfoPaneView, VersionList } from '../../../../renderer/src/components/info-pane';
import { resetStore, useStore } from '../../../../renderer/src/store/store';
import { fullDetails } from '../fixtures';

/** Markup text without tags, with entities decoded, so assertions read like what a person sees. */
function textOf(html: string): string {
  return html
    .replace(/<wbr\/?>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

beforeEach(() => resetStore());

describe('ContactInfo', () => {
  it('shows every field of a full contact', () => {
    const details = fullDetails();
    const html = renderToString(createElement(ContactInfo, { details }));
    const text = textOf(html);
    const c = details.contact;
    const expected = [
      c.displayName,
      ...Object.values(c.name),
      ...c.nicknames,
      c.fileAs,
      ...c.emails.map((e) => e.value),
      ...c.phones.map((p) => p.value),
      'Babbage line',
      '12 St James Square',
      'Flat 2',
      'PO-77',
      'SW1Y 4JH London',
      'Westminster',
      'Westminster, United Kingdom',
      '12 St James Square, London',
      ...c.urls.map((u) => u.value),
      'Analytical Engine Society',
      'Notes Department',
      'Translator',
      'Room 42',
      'Mathematician',
      '10 December',
      'Anniversary',
      '8 July 1835',
      c.notes,
      'Spouse William King',
      'ada@xmpp.example',
      'sip:ada@voip.example',
      'Engine Analytical',
      'Mathematicians',
      'Starred',
      'female',
      'google.externalIds',
      'EXT-314',
      'Deleted at source',
    ];
    for (const value of expected) expect(text, `missing ${value}`).toContain(value);
    // Kinds read as words, the country code is not repeated beside its name.
    expect(text).toContain('Work ada@analytical.example');
    expect(text).toContain('Mobile +44 20 7946 0018');
    expect(text).not.toContain('(GB)');
    // Emails may break only after "@" and before dots.
    expect(html).toContain('ada@<wbr/>analytical<wbr/>.example');
    // The birthday has no year and must not invent one.
    expect(html).toMatch(/data-testid="field-birthday"[^]*?10 December<\/dd>/);
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(html).toContain('alt="Photo of Ada Lovelace"');
    for (const id of [
      'field-name',
      'field-nicknames',
      'field-fileAs',
      'field-emails',
      'field-phones',
      'field-addresses',
      'field-urls',
      'field-organizations',
      'field-birthday',
      'field-events',
      'field-notes',
      'field-relations',
      'field-im',
      'field-sip',
      'field-customFields',
      'field-folders',
      'field-gender',
      'field-extra',
    ]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
  });

  it('leaves out empty fields instead of showing blank rows', () => {
    const details = fullDetails();
    const bare = {
      ...details,
      photoDataUrl: undefined,
      folderNames: [],
      contact: {
        ...details.contact,
        emails: [],
        notes: undefined,
        birthday: undefined,
        extra: {},
      },
    };
    const html = renderToString(createElement(ContactInfo, { details: bare }));
    expect(html).not.toContain('data-testid="field-emails"');
    expect(html).not.toContain('data-testid="field-notes"');
    expect(html).not.toContain('data-testid="field-birthday"');
    expect(html).not.toContain('data-testid="contact-photo"');
    expect(html).toContain('data-testid="field-phones"');
  });
});

describe('VersionList', () => {
  it('lists versions newest first and marks the chosen one and the deletion', () => {
    const html = renderToString(
      createElement(VersionList, { details: fullDetails(), selected: 'snap-1', onSelect: () => {} }),
    );
    const ids = [...html.matchAll(/data-snapshot-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['snap-2', 'snap-1']);
    expect(html).toMatch(/data-snapshot-id="snap-1" aria-current="true"/);
    expect(textOf(html)).toContain('deleted at source');
  });
});

const noop = () => {};

describe('InfoPaneView', () => {
  it('shows the details, the versions and the banner of the chosen version', () => {
    const html = renderToString(
      createElement(InfoPaneView, {
        userKey: 'acc/user',
        detailsId: 'c-full',
        detailsSnapshotId: 'snap-1',
        details: fullDetails(),
        detailsError: undefined,
        detailsLoading: false,
        onOpenVersion: noop,
        onClose: noop,
        onRestoreVersion: noop,
      }),
    );
    expect(html).toContain('data-testid="info-pane"');
    expect(html).toContain('data-testid="contact-info"');
    expect(html).toContain('data-testid="version-banner"');
    expect(html).toContain('Restore this version');
    expect(html).toContain('data-testid="version-list"');
  });

  it('shows the server sentence of a failed load with Retry when retryable', () => {
    const html = renderToString(
      createElement(InfoPaneView, {
        userKey: 'acc/user',
        detailsId: 'c-full',
        detailsSnapshotId: undefined,
        details: undefined,
        detailsError: { code: 'locked', message: 'The profile is locked.', retryable: true },
        detailsLoading: false,
        onOpenVersion: noop,
        onClose: noop,
        onRestoreVersion: noop,
      }),
    );
    expect(html).toContain('role="alert"');
    expect(textOf(html)).toContain('The profile is locked. Retry');
  });

  it('the connected pane says what to do when no contact is chosen', () => {
    useStore.setState({ detailsId: undefined });
    const html = renderToString(createElement(InfoPane));
    expect(textOf(html)).toContain('Select a contact and press the info button');
  });
});
