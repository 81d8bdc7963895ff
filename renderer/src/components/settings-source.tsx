/**
 * Settings > Add a vCard or PST file (issue 16 item 5). In the browser host the person picks a file,
 * which is uploaded into the profile's own import folder; in the desktop app the native open dialog
 * gives its path. Nobody types a path. The core checks the file's kind and says when it is wrong.
 */
import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { call } from '../lib/api-client';
import type { ApiError } from '../lib/api-types';
import { uploadSource } from '../lib/file-transfer';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

type Kind = 'vcard' | 'pst';

export function AddSourceFile() {
  const { addVcard, addPst, host } = useStore(
    useShallow((s) => ({ addVcard: s.addVcard, addPst: s.addPst, host: s.appStatus?.host })),
  );
  const [kind, setKind] = useState<Kind>('vcard');
  const [file, setFile] = useState<File | undefined>();
  const [nativePath, setNativePath] = useState<string | undefined>();
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [inputKey, setInputKey] = useState(0);
  const native = host === 'electron';
  const changeKind = (next: Kind) => {
    setKind(next);
    setFile(undefined);
    setNativePath(undefined);
    setInputKey((value) => value + 1);
  };

  const choose = async () => {
    const chosen = await call('source.choosePath', { kind });
    if (!chosen.ok) return setError(chosen.error);
    if (chosen.value.path) setNativePath(chosen.value.path);
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    let path = nativePath;
    if (!native && file) {
      const uploaded = await uploadSource(file, kind);
      if (!uploaded.ok) {
        setBusy(false);
        return setError(uploaded.error);
      }
      path = uploaded.path;
    }
    if (!path) return setBusy(false);
    const name = label.trim() || (file?.name ?? path.split(/[\\/]/).pop() ?? path);
    const result = await (kind === 'pst' ? addPst(path, name) : addVcard(path, name));
    setBusy(false);
    setError(result.ok ? undefined : result.error);
    if (result.ok) {
      setFile(undefined);
      setNativePath(undefined);
      setLabel('');
      setInputKey((value) => value + 1);
    }
  };

  const f = strings.files;
  const ready = native ? Boolean(nativePath) : Boolean(file);
  return (
    <form className="form inline-form" onSubmit={add} aria-label={f.addSource} data-testid="add-source-form">
      <h3>{f.addSource}</h3>
      <label className="field">
        <span>{f.kind}</span>
        <select data-testid="source-kind" value={kind} onChange={(e) => changeKind(e.target.value as Kind)}>
          <option value="vcard">{f.vcard}</option>
          <option value="pst">{f.pst}</option>
        </select>
      </label>
      {native ? (
        <div className="field">
          <button type="button" className="button" data-testid="source-choose" onClick={() => void choose()}>
            {f.choose}
          </button>
          {nativePath ? <span className="small">{f.chosen(nativePath)}</span> : null}
        </div>
      ) : (
        <label className="field">
          <span>{f.pick}</span>
          <input
            key={inputKey}
            type="file"
            data-testid="source-file"
            accept={kind === 'pst' ? '.pst' : '.vcf,.vcard,text/vcard'}
            onChange={(e) => setFile(e.target.files?.[0])}
          />
        </label>
      )}
      <label className="field">
        <span>{f.label}</span>
        <input
          data-testid="source-label"
          value={label}
          maxLength={120}
          onChange={(e) => setLabel(e.target.value)}
        />
      </label>
      <button type="submit" className="button" data-testid="source-add" disabled={busy || !ready}>
        {busy ? f.adding : f.add}
      </button>
      <ErrorMessage error={error} testId="source-error" />
    </form>
  );
}
