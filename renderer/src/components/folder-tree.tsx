/**
 * The folder tree on the left of the Contacts screen, nested by parentId with counts. A WAI-ARIA
 * tree would need expand/collapse state the data rarely needs; a list of buttons indented by depth
 * keeps every folder one Tab away and announces its level.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatNumber } from '../lib/numbers';
import { flattenFolders } from '../store/selectors';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

export function FolderTree() {
  const { folders, foldersError, folderId, total, selectFolder, loadFolders } = useStore(
    useShallow((s) => ({
      folders: s.folders,
      foldersError: s.foldersError,
      folderId: s.browseFolderId,
      total: s.browseFolderId || s.browseSearch ? undefined : s.list?.total,
      selectFolder: s.selectFolder,
      loadFolders: s.loadFolders,
    })),
  );
  const nodes = useMemo(() => flattenFolders(folders ?? []), [folders]);
  return (
    <nav className="folder-tree" aria-label={strings.contacts.folders} data-testid="folder-tree">
      <h2 className="pane-title">{strings.contacts.folders}</h2>
      <ErrorMessage error={foldersError} onRetry={loadFolders} />
      <ul>
        <li>
          <button
            type="button"
            className="folder-item"
            data-testid="folder-item-all"
            aria-current={folderId === undefined ? 'true' : undefined}
            onClick={() => void selectFolder(undefined)}
          >
            <span>{strings.contacts.allContacts}</span>
            {total !== undefined ? <span className="count">{formatNumber(total)}</span> : null}
          </button>
        </li>
        {nodes.map(({ folder, depth }) => (
          <li key={folder.id}>
            <button
              type="button"
              className={`folder-item depth-${Math.min(depth, 6)}`}
              data-testid="folder-item"
              data-folder-id={folder.id}
              aria-current={folderId === folder.id ? 'true' : undefined}
              onClick={() => void selectFolder(folder.id)}
            >
              <span>{folder.name}</span>
              <span className="count">
                {formatNumber(folder.count)}
                {/* After the visible text, so the accessible name starts with what is seen. */}
                {depth > 0 ? (
                  <span className="visually-hidden">, {strings.contacts.level(depth + 1)}</span>
                ) : null}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
