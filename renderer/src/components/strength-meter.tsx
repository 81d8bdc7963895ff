/** The backup password strength meter on the first-run form: a hint for the person typing. */
import { passwordStrength } from '../lib/format';
import { strings } from '../strings';

export function StrengthMeter({ password }: { readonly password: string }) {
  const score = passwordStrength(password);
  return (
    <div className="strength" data-testid="password-strength" data-score={score}>
      <meter
        min={0}
        max={4}
        low={2}
        high={3}
        optimum={4}
        value={score}
        aria-label={strings.unlock.strengthLabel}
        aria-valuetext={strings.unlock.strength[score]}
      />
      <span aria-hidden="true">{strings.unlock.strength[score]}</span>
    </div>
  );
}
