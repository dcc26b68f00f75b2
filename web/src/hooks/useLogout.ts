import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../session';

/** POST /auth/logout, then back to the login page (even if the call failed). */
export function useLogout(): () => Promise<void> {
  const { logout } = useSession();
  const navigate = useNavigate();
  return useCallback(async () => {
    // Leave the signed-in pages first so nothing reloads /me while the session ends.
    navigate('/login', { replace: true });
    try {
      await logout();
    } catch {
      /* the session is forgotten locally anyway */
    }
  }, [logout, navigate]);
}
