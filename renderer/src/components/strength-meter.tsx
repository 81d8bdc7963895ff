/**
 * The backup password strength meter: zxcvbn-ts's score as the person types, and its advice when
 * the password is below the minimum the core enforces (the form will not submit it).
 */
import type { PasswordCheck } from '../lib/password-check';
import { strings } from '../strings';

export function StrengthMeter({
  password,
  check,
}: {
  readonly password: string;
  readonly check: PasswordCheck | undefined;
}) {
  const score = check?.score ?? 0;
  const label = !check
    ? strings.unlock.checkingStrength
    : score === 0 && password.length >= 8
      ? strings.unlock.veryWeak
      : strings.unlock.strength[score];
  return (
    <div className="strength" data-testid="password-strength" data-score={check ? score : undefined}>
      <meter
        min={0}
        max={4}
        low={2}
        high={3}
        optimum={4}
        value={score}
        aria-label={strings.unlock.strengthLabel}
        aria-valuetext={label}
      />
      <span aria-hidden="true">{label}</span>
      {password && check && !check.acceptable ? (
        <p className="strength-advice" data-testid="password-advice">
          {strings.unlock.tooWeak(password.length < 8 ? strings.unlock.passwordTooShort : check.feedback)}
        </p>
      ) : null}
    </div>
  );
}
