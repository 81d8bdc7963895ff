/**
 * A service-account key file (.json) chosen with the file picker: its text is read in the window and
 * sent over the API into the vault; the file itself is never kept. Used to connect a Workspace domain
 * and to sign one in again with a new key.
 */
export function KeyFileInput({
  label,
  testId,
  onKey,
}: {
  readonly label: string;
  readonly testId: string;
  /** The file's text, or undefined when the choice is cleared. */
  readonly onKey: (keyJson: string | undefined) => void;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="file"
        accept=".json,application/json"
        required
        data-testid={testId}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void file.text().then(onKey);
          else onKey(undefined);
        }}
      />
    </label>
  );
}
