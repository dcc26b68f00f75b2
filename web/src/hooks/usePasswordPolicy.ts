import { useEffect, useState } from 'react';
import { api } from '../api';
import { DEFAULT_MIN_LENGTH, DEFAULT_RULES } from '../passwordPolicy';

export interface PolicyInfo {
  minLength: number;
  rules: string[];
}

/** GET /password-policy, with the documented defaults until it answers. */
export function usePasswordPolicy(): PolicyInfo {
  const [policy, setPolicy] = useState<PolicyInfo>({ minLength: DEFAULT_MIN_LENGTH, rules: DEFAULT_RULES });
  useEffect(() => {
    let live = true;
    api.passwordPolicy().then(
      (p) => {
        if (live && p) setPolicy({ minLength: p.min_length || DEFAULT_MIN_LENGTH, rules: p.rules?.length ? p.rules : DEFAULT_RULES });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return policy;
}
