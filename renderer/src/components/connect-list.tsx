/**
 * The connect list: one entry per source kind whose registry descriptor has a connect form
 * (`providers.list`), so a new kind appears here without a renderer change. Choosing one opens its
 * form, built from the descriptor's fields (a field with `showWhen` appears only for those values,
 * e.g. CardDAV's server address for Nextcloud and other servers). The secret field (an app password)
 * is sent once with `accounts.connect` and cleared; it is never kept in the store.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError, ConnectFieldView, ProviderView } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

export function ConnectList() {
  const { providers, providersError, loadProviders } = useStore(
    useShallow((s) => ({
      providers: s.providers,
      providersError: s.providersError,
      loadProviders: s.loadProviders,
    })),
  );
  const [open, setOpen] = useState<string | undefined>();
  useEffect(() => {
    void loadProviders();
  }, [loadProviders]);
  return (
    <section className="connect-list" aria-labelledby="connect-form-title" data-testid="connect-list">
      <h3 id="connect-form-title">{strings.connectForm.title}</h3>
      <p className="muted">{strings.connectForm.intro}</p>
      <ErrorMessage error={providersError} onRetry={loadProviders} />
      <ConnectChoices providers={providers ?? []} open={open} onToggle={setOpen} />
    </section>
  );
}

/** One button per form kind and the chosen kind's form (pure: the list comes in as a prop). */
export function ConnectChoices({
  providers,
  open,
  onToggle,
}: {
  readonly providers: readonly ProviderView[];
  readonly open: string | undefined;
  readonly onToggle: (kind: string | undefined) => void;
}) {
  const forms = providers.filter((provider) => provider.connect.flow === 'form');
  const chosen = forms.find((provider) => provider.kind === open);
  return (
    <>
      <div className="row" role="group" aria-label={strings.connectForm.title}>
        {forms.map((provider) => (
          <button
            key={provider.kind}
            type="button"
            className={provider.kind === open ? 'button button-primary' : 'button'}
            aria-expanded={provider.kind === open}
            data-testid={`connect-open-${provider.kind}`}
            onClick={() => onToggle(provider.kind === open ? undefined : provider.kind)}
          >
            {strings.connectForm.open(provider.displayName)}
          </button>
        ))}
      </div>
      {chosen ? <ConnectForm key={chosen.kind} provider={chosen} /> : null}
    </>
  );
}

function labelOf(kind: string, field: ConnectFieldView): string {
  return strings.connectForm.fields[`${kind}.${field.name}`] ?? field.label;
}

function visible(field: ConnectFieldView, values: Readonly<Record<string, string>>): boolean {
  return !field.showWhen || field.showWhen.values.includes(values[field.showWhen.field] ?? '');
}

/** The form of one kind, generated from its fields. */
export function ConnectForm({
  provider,
  accountId,
  initialValues,
  onDone,
}: {
  readonly provider: ProviderView;
  /** Connect this existing account again (a new app password) instead of adding one. */
  readonly accountId?: string;
  /** Values to start from (an existing account's server and user). */
  readonly initialValues?: Readonly<Record<string, string>>;
  readonly onDone?: () => void;
}) {
  const connectAccount = useStore((s) => s.connectAccount);
  const fields = provider.connect.fields;
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      fields.map((field) => [field.name, initialValues?.[field.name] ?? field.defaultValue ?? '']),
    ),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(undefined);
    const shown = fields.filter((field) => visible(field, values));
    const secretField = shown.find((field) => field.secret);
    const plain = Object.fromEntries(
      shown.filter((field) => !field.secret).map((field) => [field.name, values[field.name].trim()]),
    );
    const result = await connectAccount(
      provider.kind,
      plain,
      secretField ? values[secretField.name] : undefined,
      accountId,
    );
    setBusy(false);
    // The password never stays in the form, whatever the outcome.
    if (secretField) setValues((current) => ({ ...current, [secretField.name]: '' }));
    setError(result.ok ? undefined : result.error);
    if (result.ok) {
      setOutcome(strings.connectForm.connected(result.value.label));
      onDone?.();
    }
  };

  const help = strings.connectForm.help[provider.kind];
  return (
    <>
      <form
        className="form connect-form"
        onSubmit={submit}
        aria-label={strings.connectForm.open(provider.displayName)}
        data-testid={`connect-form-${provider.kind}`}
      >
        <p className="muted">{provider.description}</p>
        {fields
          .filter((field) => visible(field, values))
          .map((field) => (
            <label className="field" key={field.name}>
              <span>{labelOf(provider.kind, field)}</span>
              {field.type === 'select' ? (
                <select
                  data-testid={`connect-field-${field.name}`}
                  value={values[field.name]}
                  required={field.required}
                  onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
                >
                  {(field.options ?? []).map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  data-testid={`connect-field-${field.name}`}
                  type={field.type === 'password' ? 'password' : field.type === 'url' ? 'url' : 'text'}
                  autoComplete={field.secret ? 'new-password' : 'off'}
                  spellCheck={false}
                  placeholder={field.placeholder}
                  value={values[field.name]}
                  required={field.required}
                  maxLength={2000}
                  onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
                />
              )}
            </label>
          ))}
        {help ? <p className="muted connect-help">{help}</p> : null}
        <button
          type="submit"
          className="button button-primary"
          data-testid="connect-submit"
          disabled={busy}
          aria-busy={busy}
        >
          {busy ? strings.connectForm.connecting : strings.connectForm.submit}
        </button>
      </form>
      <ErrorMessage error={error} testId="connect-error" />
      {outcome ? (
        <p role="status" className="outcome" data-testid="connect-outcome">
          {outcome}
        </p>
      ) : null}
    </>
  );
}
