/**
 * The minimum strength of a backup password, judged by zxcvbn-ts (a maintained estimator that knows
 * common passwords, words, names, keyboard patterns and dates) rather than by character classes:
 * "password" is refused, "a long backup password" is fine. The same rule runs in the UI (as the
 * person types) and here (the API and the CLI), so no path can create a weaker password.
 */
import { VaultError } from './errors';

/** zxcvbn scores 0-4; 3 means "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

export interface PasswordAssessment {
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly acceptable: boolean;
  /** The estimator's sentences: why it is weak and how to make it stronger. */
  readonly feedback: string;
}

type Checker = (
  password: string,
  userInputs: string[],
) => { score: number; warning: string; suggestions: string[] };
let checker: Promise<Checker> | undefined;

/** Loads the dictionaries once, on first use (about 150 ms; most commands never need them). */
function loadChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const factory = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return (password, userInputs) => {
      const result = factory.check(password, userInputs);
      return {
        score: result.score,
        warning: result.feedback.warning ?? '',
        suggestions: result.feedback.suggestions,
      };
    };
  })();
  return checker;
}

/** Scores a password; `context` (the profile name, say) counts as easy to guess. */
export async function assessPassword(password: string, context: string[] = []): Promise<PasswordAssessment> {
  const check = await loadChecker();
  const result = check(password.slice(0, 256), context.filter(Boolean));
  const score = (
    password.length < 8 ? Math.min(result.score, 1) : result.score
  ) as PasswordAssessment['score'];
  const feedback = [result.warning, ...result.suggestions].filter(Boolean).join(' ');
  return { score, acceptable: score >= MIN_PASSWORD_SCORE && password.length >= 8, feedback };
}

/** Refuses a weak backup password with one sentence and the estimator's advice. */
export async function assertStrongPassword(password: string, context: string[] = []): Promise<void> {
  const assessment = await assessPassword(password, context);
  if (assessment.acceptable) return;
  const why = password.length < 8 ? 'It needs at least 8 characters.' : assessment.feedback;
  throw new VaultError(
    'weak-password',
    `This backup password is too easy to guess.${why ? ` ${why}` : ''} Try a few unrelated words.`,
  );
}
