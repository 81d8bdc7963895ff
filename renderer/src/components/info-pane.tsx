/**
 * The right pane of the Contacts screen (a drawer over the list in narrow windows): the chosen
 * contact's details and its version history. Choosing a version shows that version (contacts.get
 * with snapshotId) under a banner that stays at the top of the pane, with "Restore this version"
 * and a comparison with another version in view.
 */
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError, ContactDetailsView, VersionView } from '../lib/api-types';
import { formatVersionTime } from '../lib/format';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ContactInfo } from './contact-info';
import { ErrorMessage } from './error-message';
import { VersionCompare, versionKey } from './version-compare';

export function InfoPane() {
  const state = useStore(
    useShallow((s) => ({
      details: s.details,
      detailsError: s.detailsError,
      detailsLoading: s.detailsLoading,
      detailsId: s.detailsId,
      detailsSnapshotId: s.detailsSnapshotId,
      userKey: s.browseUserKey,
    })),
  );
  const { openDetails, closeDetails, openDialog, focusRequested, versionsFocused } = useStore(
    useShallow((s) => ({
      openDetails: s.openDetails,
      closeDetails: s.closeDetails,
      openDialog: s.openDialog,
      focusRequested: s.versionsFocusRequested,
      versionsFocused: s.versionsFocused,
    })),
  );
  // "Show versions" from the context menu: once the details are in, move to the version list.
  useEffect(() => {
    if (!focusRequested || !state.details || state.details.summary.id !== state.detailsId) return;
    versionsFocused();
    const list = document.getElementById('versions-title');
    list?.scrollIntoView({ block: 'start' });
    document.querySelector<HTMLElement>('[data-testid="version-item"]')?.focus();
  }, [focusRequested, state.details, state.detailsId, versionsFocused]);
  return (
    <InfoPaneView
      {...state}
      onOpenVersion={(contactId, snapshotId) => void openDetails(contactId, snapshotId)}
      onClose={closeDetails}
      onRestoreVersion={(userKey, contactId, at) =>
        openDialog({ kind: 'restore', userKey, scope: 'contacts', contactIds: [contactId], at })
      }
    />
  );
}

export interface InfoPaneViewProps {
  readonly details: ContactDetailsView | undefined;
  readonly detailsError: ApiError | undefined;
  readonly detailsLoading: boolean;
  readonly detailsId: string | undefined;
  readonly detailsSnapshotId: string | undefined;
  readonly userKey: string | undefined;
  readonly onOpenVersion: (contactId: string, snapshotId?: string) => void;
  readonly onClose: () => void;
  readonly onRestoreVersion: (userKey: string, contactId: string, at: string) => void;
}

/** The pane as a function of its props (server-rendered in tests, where the store is not read). */
export function InfoPaneView({
  details,
  detailsError,
  detailsLoading,
  detailsId,
  detailsSnapshotId,
  userKey,
  onOpenVersion,
  onClose,
  onRestoreVersion,
}: InfoPaneViewProps) {
  const paneRef = useRef<HTMLElement>(null);
  // A version chosen at the bottom of the pane: go back up to its banner, Restore and comparison.
  useEffect(() => {
    if (detailsSnapshotId && paneRef.current) paneRef.current.scrollTop = 0;
  }, [detailsSnapshotId]);
  if (!detailsId) {
    return (
      <aside className="info-pane" aria-label={strings.info.title} data-testid="info-pane">
        <p className="empty-state">{strings.info.choose}</p>
      </aside>
    );
  }

  const viewing = details?.versions.find((version) => version.snapshotId === detailsSnapshotId);
  return (
    <aside
      ref={paneRef}
      className="info-pane"
      aria-label={strings.info.title}
      aria-busy={detailsLoading}
      data-testid="info-pane"
      data-contact-id={detailsId}
      onKeyDown={(event) => {
        // In a narrow window the pane is a drawer over the list: Escape closes it like a dialog.
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <div className="pane-header">
        <h2 className="pane-title">{strings.info.title}</h2>
        <button
          type="button"
          className="button button-quiet"
          aria-label={strings.info.close}
          data-testid="info-close"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      <ErrorMessage
        error={detailsError}
        onRetry={() => onOpenVersion(detailsId, detailsSnapshotId)}
        testId="info-error"
      />
      {detailsLoading && !details ? <p aria-busy="true">{strings.loading}</p> : null}
      {details ? (
        <>
          {viewing ? (
            <div className="version-banner" role="status" data-testid="version-banner">
              <p>{strings.info.viewing(formatVersionTime(viewing.from))}</p>
              <div className="row">
                <button
                  type="button"
                  className="button button-primary"
                  data-testid="restore-version"
                  disabled={!userKey}
                  onClick={() => userKey && onRestoreVersion(userKey, detailsId, viewing.from)}
                >
                  {strings.info.restoreVersion}
                </button>
                <button type="button" className="button" onClick={() => onOpenVersion(detailsId)}>
                  {strings.info.showLatest}
                </button>
              </div>
            </div>
          ) : null}
          {viewing && details.versions.length > 1 ? (
            <VersionCompare
              key={versionKey(viewing)}
              contactId={detailsId}
              versions={details.versions}
              viewing={viewing}
              viewingContact={details.contact}
            />
          ) : null}
          <ContactInfo details={details} />
          <VersionList
            details={details}
            selected={detailsSnapshotId}
            onSelect={(version) => onOpenVersion(detailsId, version.snapshotId)}
          />
        </>
      ) : null}
    </aside>
  );
}

/** The versions of a contact, newest first; the chosen one is marked with aria-current. */
export function VersionList({
  details,
  selected,
  onSelect,
}: {
  readonly details: ContactDetailsView;
  readonly selected: string | undefined;
  readonly onSelect: (version: VersionView) => void;
}) {
  const versions = [...details.versions].reverse();
  return (
    <section className="versions" aria-labelledby="versions-title" data-testid="version-list">
      <h3 id="versions-title">{strings.info.versions}</h3>
      <ol>
        {versions.map((version, index) => (
          <li key={`${version.snapshotId}-${version.from}`}>
            <button
              type="button"
              className="version-item"
              data-testid="version-item"
              data-snapshot-id={version.snapshotId}
              aria-current={version.snapshotId === selected ? 'true' : undefined}
              onClick={() => onSelect(version)}
            >
              <span>{strings.info.version(formatVersionTime(version.from))}</span>
              {index === 0 && !version.deletedAt ? (
                <span className="badge">{strings.info.current}</span>
              ) : null}
              {version.until ? (
                <span className="muted"> {strings.info.until(formatVersionTime(version.until))}</span>
              ) : null}
              {version.deletedAt ? (
                <span className="badge badge-warn">
                  {strings.info.deletedOn(formatVersionTime(version.deletedAt))}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
