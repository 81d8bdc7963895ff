/**
 * Every field of a contact, for the info pane (S4, B8: full fidelity). A pure component of its
 * props so a test can render a full contact with react-dom/server and find each field.
 */
import { Fragment, type ReactNode } from 'react';
import type { Contact, ContactDetailsView } from '../lib/api-types';
import { breakPoints, formatCountry, formatPartialDate, formatPhone, typeLabel } from '../lib/format';
import { strings } from '../strings';

type TypedValue = Contact['emails'][number];

export function ContactInfo({ details }: { readonly details: ContactDetailsView }) {
  const contact = details.contact;
  const s = strings.info;
  const nameParts: [string, string | undefined][] = [
    [s.prefix, contact.name.prefix],
    [s.given, contact.name.given],
    [s.middle, contact.name.middle],
    [s.family, contact.name.family],
    [s.suffix, contact.name.suffix],
    [s.phoneticGiven, contact.name.phoneticGiven],
    [s.phoneticMiddle, contact.name.phoneticMiddle],
    [s.phoneticFamily, contact.name.phoneticFamily],
  ];
  const extraEntries = Object.entries(contact.extra ?? {}).filter(([key]) => key !== 'google.profile');
  const profileValues = googleProfileValues(contact.extra?.['google.profile']);
  return (
    <div className="contact-info" data-testid="contact-info">
      <div className="contact-head">
        {details.photoDataUrl ? (
          <img
            className="photo"
            src={details.photoDataUrl}
            alt={s.photo(contact.displayName || details.summary.displayName)}
            data-testid="contact-photo"
          />
        ) : (
          <span className="photo photo-empty" aria-hidden="true">
            {(details.summary.displayName || '?').slice(0, 1).toUpperCase()}
          </span>
        )}
        <div>
          <h3 data-testid="contact-display-name">{details.summary.displayName}</h3>
          {details.summary.deleted ? (
            <span className="badge badge-warn" data-testid="info-deleted">
              {strings.contacts.deletedAtSource}
            </span>
          ) : null}
        </div>
      </div>
      <dl className="fields">
        <Field label={s.displayName} testId="field-displayName">
          {contact.displayName || undefined}
        </Field>
        <Field label={s.name} testId="field-name">
          {nameParts.some(([, value]) => value) ? (
            <dl className="subfields">
              {nameParts.map(([label, value]) =>
                value ? (
                  <div key={label}>
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                  </div>
                ) : null,
              )}
            </dl>
          ) : undefined}
        </Field>
        <ListField label={s.nicknames} testId="field-nicknames" items={contact.nicknames} render={(n) => n} />
        <Field label={s.fileAs} testId="field-fileAs">
          {contact.fileAs}
        </Field>
        <TypedList label={s.emails} testId="field-emails" items={contact.emails} render={Breakable} />
        <TypedList label={s.phones} testId="field-phones" items={contact.phones} render={formatPhone} />
        <ListField
          label={s.addresses}
          testId="field-addresses"
          items={contact.addresses}
          render={(address) => (
            <>
              <Kind value={address} />
              <span className="address">
                {[
                  address.street,
                  address.extended,
                  address.poBox ? `${s.poBox} ${address.poBox}` : undefined,
                  [address.postalCode, address.city].filter(Boolean).join(' ') || undefined,
                  address.region,
                  formatCountry(address.country, address.countryCode),
                ]
                  .filter(Boolean)
                  .join(', ')}
              </span>
              {address.formatted ? <span className="formatted">{address.formatted}</span> : null}
              {address.primary ? <span className="badge">{s.primary}</span> : null}
            </>
          )}
        />
        <TypedList label={s.urls} testId="field-urls" items={contact.urls} render={Breakable} />
        <ListField
          label={s.organizations}
          testId="field-organizations"
          items={contact.organizations}
          render={(org) => (
            <>
              {org.name ? <span>{org.name}</span> : null}
              {org.department ? (
                <span className="muted">
                  {' '}
                  · {s.department}: {org.department}
                </span>
              ) : null}
              {org.title ? (
                <span className="muted">
                  {' '}
                  · {s.jobTitle}: {org.title}
                </span>
              ) : null}
              {org.location ? (
                <span className="muted">
                  {' '}
                  · {s.location}: {org.location}
                </span>
              ) : null}
              {org.profession ? (
                <span className="muted">
                  {' '}
                  · {s.profession}: {org.profession}
                </span>
              ) : null}
              {org.primary ? <span className="badge">{s.primary}</span> : null}
            </>
          )}
        />
        <Field label={s.birthday} testId="field-birthday">
          {contact.birthday ? formatPartialDate(contact.birthday) : undefined}
        </Field>
        <ListField
          label={s.events}
          testId="field-events"
          items={contact.events}
          render={(event) => (
            <>
              <Kind value={event} /> {formatPartialDate(event.date)}
            </>
          )}
        />
        <Field label={s.notes} testId="field-notes">
          {contact.notes ? <span className="notes">{contact.notes}</span> : undefined}
        </Field>
        <ListField
          label={s.relations}
          testId="field-relations"
          items={contact.relations}
          render={(relation) => (
            <>
              <Kind value={{ type: relation.type }} /> {relation.name}
            </>
          )}
        />
        <TypedList label={s.im} testId="field-im" items={contact.imAddresses} render={Breakable} />
        <TypedList label={s.sip} testId="field-sip" items={contact.sipAddresses} render={Breakable} />
        <ListField
          label={s.customFields}
          testId="field-customFields"
          items={contact.customFields}
          render={(field) => (
            <>
              <span className="kind">{field.key}</span> {field.value}
            </>
          )}
        />
        <ListField
          label={s.folders}
          testId="field-folders"
          items={details.folderNames}
          render={(name) => name}
        />
        <Field label={s.gender} testId="field-gender">
          {contact.gender}
        </Field>
        <ListField
          label={strings.connect.fromGoogleProfile}
          testId="field-google-profile"
          items={profileValues}
          render={(value) => value}
        />
        <ListField
          label={s.extra}
          testId="field-extra"
          items={extraEntries}
          render={([key, value]) => (
            <>
              <span className="kind">{key}</span>{' '}
              <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
            </>
          )}
        />
      </dl>
    </div>
  );
}

function Field({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '') return null;
  return (
    <div className="field-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ListField<T>({
  label,
  testId,
  items,
  render,
}: {
  label: string;
  testId: string;
  items: readonly T[];
  render: (item: T) => ReactNode;
}) {
  if (items.length === 0) return null;
  return (
    <div className="field-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <ul className="values">
          {items.map((item, index) => (
            <li key={index}>{render(item)}</li>
          ))}
        </ul>
      </dd>
    </div>
  );
}

function TypedList({
  label,
  testId,
  items,
  render = (value) => value,
}: {
  label: string;
  testId: string;
  items: readonly TypedValue[];
  render?: (value: string) => ReactNode;
}) {
  return (
    <ListField
      label={label}
      testId={testId}
      items={items}
      render={(item) => (
        <>
          <Kind value={item} />
          <span className="value">{render(item.value)}</span>
          {item.primary ? <span className="badge">{strings.info.primary}</span> : null}
        </>
      )}
    />
  );
}

function Kind({ value }: { value: { type?: string; label?: string } }) {
  const label = typeLabel(value);
  return label ? <span className="kind">{label}</span> : null;
}

/** An address or URL with break opportunities only after "@" and "/" and before ".". */
export function Breakable(value: string): ReactNode {
  const parts = breakPoints(value);
  return parts.map((part, index) => (
    <Fragment key={index}>
      {index > 0 ? <wbr /> : null}
      {part}
    </Fragment>
  ));
}

/**
 * What a linked Google profile shows for this person (issue 14, item 5): kept apart from the
 * contact's own fields and never written back; listed here as "From their Google profile".
 */
function googleProfileValues(profile: unknown): string[] {
  if (!profile || typeof profile !== 'object') return [];
  const values: string[] = [];
  for (const items of Object.values(profile as Record<string, unknown>)) {
    if (!Array.isArray(items)) continue;
    for (const item of items as Record<string, unknown>[]) {
      const value = item.value ?? item.displayName ?? item.formattedValue ?? item.name;
      if (typeof value === 'string' && value) values.push(value);
    }
  }
  return values;
}
