/**
 * The backup password's strength as the person types, by the same estimator and minimum as the core
 * (zxcvbn-ts, MIN_PASSWORD_SCORE): the form refuses what the core would refuse, with the
 * estimator's own advice. The dictionaries load on first use, so the unlock screen stays quick.
 */
import { useEffect, useState } from 'react';
import { MIN_PASSWORD_SCORE } from './api-types';

export interface PasswordCheck {
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly acceptable: boolean;
  /** The estimator's warning and suggestions, in one or two sentences. */
  readonly feedback: string;
}

type Checker = (password: string) => { score: number; feedback: string };
let checker: Promise<Checker> | undefined;

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
    return (password) => {
      const result = factory.check(password.slice(0, 256));
      return {
        score: result.score,
        feedback: [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' '),
      };
    };
  })();
  return checker;
}

export async function checkPassword(password: string): Promise<PasswordCheck> {
  const result = (await loadChecker())(password);
  const score = (password.length < 8 ? Math.min(result.score, 1) : result.score) as PasswordCheck['score'];
  return {
    score,
    acceptable: password.length >= 8 && score >= MIN_PASSWORD_SCORE,
    feedback: result.feedback,
  };
}

/** The check of the password being typed; undefined until the estimator has loaded. */
export function usePasswordCheck(password: string): PasswordCheck | undefined {
  const [check, setCheck] = useState<{ password: string; check: PasswordCheck }>();
  useEffect(() => {
    let current = true;
    void checkPassword(password).then((result) => {
      if (current) setCheck({ password, check: result });
    });
    return () => {
      current = false;
    };
  }, [password]);
  return check?.password === password ? check.check : undefined;
}
