/**
 * The comparison of two versions of a contact in the info pane: the version being looked at and
 * another one (by default the one before it), with the fields added, removed and changed between
 * the older and the newer, each marked in words as well as colour. The other version is asked for
 * with `contacts.get`; the difference is computed here from the two answers (lib/contact-diff.ts).
 */
import { useEffect, useState } from 'react';
import { call } from '../lib/api-client';
import type { ApiError, Contact, VersionView } from '../lib/api-types';
import { diffContacts, type DiffRow } from '../lib/contact-diff';
import { formatVersionTime } from '../lib/format';
import { strings } from '../strings';
import { Breakable } from './contact-info';
import { ErrorMessage } from './error-message';

/** One version's identity (a deletion shares its snapshot with the version it ends). */
export function versionKey(version: VersionView): string {
  return `${version.snapshotId}|${version.from}`;
}

/** Rendered with `key={versionKey(viewing)}`, so viewing another version starts over from its predecessor. */
export function VersionCompare({
  contactId,
  versions,
  viewing,
  viewingContact,
}: {
  readonly contactId: string;
  readonly versions: readonly VersionView[];
  readonly viewing: VersionView;
  readonly viewingContact: Contact;
}) {
  const others = versions.filter((version) => versionKey(version) !== versionKey(viewing));
  const position = versions.findIndex((version) => versionKey(version) === versionKey(viewing));
  const previous = position > 0 ? versions[position - 1] : undefined;
  const [chosen, setChosen] = useState<string>(previous ? versionKey(previous) : '');
  const other = others.find((version) => versionKey(version) === chosen);
  const [attempt, setAttempt] = useState(0);
  const [answer, setAnswer] = useState<
    { key: string; attempt: number; contact?: Contact; error?: ApiError } | undefined
  >();

  useEffect(() => {
    if (!other) return;
    let live = true;
    const key = versionKey(other);
    void call('contacts.get', { contactId, snapshotId: other.snapshotId }).then((result) => {
      if (!live) return;
      setAnswer(
        result.ok ? { key, attempt, contact: result.value.contact } : { key, attempt, error: result.error },
      );
    });
    return () => {
      live = false;
    };
  }, [contactId, other, attempt]);

  const current =
    other && answer?.key === versionKey(other) && answer.attempt === attempt ? answer : undefined;
  const error = current?.error;
  const otherContact = current?.contact;
  const otherIsOlder = other !== undefined && other.from <= viewing.from;
  const rows =
    other && otherContact
      ? otherIsOlder
        ? diffContacts(otherContact, viewingContact)
        : diffContacts(viewingContact, otherContact)
      : undefined;
  const [older, newer] = otherIsOlder ? [other, viewing] : [viewing, other ?? viewing];

  return (
    <section className="version-compare" aria-labelledby="compare-title" data-testid="version-compare">
      <label className="field-inline">
        <span id="compare-title">{strings.info.compare}</span>
        <select data-testid="compare-with" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">{strings.info.compareNone}</option>
          {[...others].reverse().map((version) => (
            <option key={versionKey(version)} value={versionKey(version)}>
              {formatVersionTime(version.from)}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={error} onRetry={() => setAttempt((n) => n + 1)} testId="compare-error" />
      {other && !rows && !error ? <p aria-busy="true">{strings.info.compareLoading}</p> : null}
      {rows && older ? (
        <div data-testid="version-diff">
          <h4 className="diff-title">
            {strings.info.compareTitle(formatVersionTime(older.from), formatVersionTime(newer.from))}
          </h4>
          {rows.length === 0 ? (
            <p className="muted">{strings.info.noChanges}</p>
          ) : (
            <ul className="diff-rows">
              {rows.map((row, index) => (
                <DiffLine key={index} row={row} />
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
}

function DiffLine({ row }: { readonly row: DiffRow }) {
  const mark = strings.info[row.kind];
  return (
    <li className={`diff-row diff-${row.kind}`} data-testid="diff-row" data-kind={row.kind}>
      <span className="diff-field">{row.field}</span> <span className="diff-mark">{mark}</span>
      {row.before !== undefined ? (
        <del className="diff-before">
          <span className="visually-hidden">{strings.info.before}: </span>
          {Breakable(row.before)}
        </del>
      ) : null}
      {row.after !== undefined ? (
        <ins className="diff-after">
          <span className="visually-hidden">{strings.info.after}: </span>
          {Breakable(row.after)}
        </ins>
      ) : null}
    </li>
  );
}
