import { useMemo } from 'react';
import { api, type AiCatalogue, type AiStatus, type AiSubscription } from '../api';
import { activeSubscription } from '../ai';
import { useSession } from '../session';
import { useCatalogue } from './useCatalogue';
import { useQuery } from './useQuery';

/** What the AI settings of a camera or a recorder need to know. */
export interface AiContext {
  catalogue: AiCatalogue | undefined;
  status: AiStatus | undefined;
  /** The active subscription; null: none; undefined: not known (loading, or no permission to read it). */
  subscription: AiSubscription | null | undefined;
  /** The subscriptions could be read (subscriptions.view). */
  canViewSubscription: boolean;
  reload: () => void;
}

/** Loads the HOLO4 catalogue, the runtime status and the client's AI subscription. */
export function useAi(orgId: string, enabled = true): AiContext {
  const { can } = useSession();
  const canView = can('subscriptions.view');
  const catalogue = useCatalogue(enabled);
  const status = useQuery(() => api.aiStatus(), [], enabled);
  const subs = useQuery(() => api.listAiSubscriptions(orgId), [orgId], enabled && canView);
  const subscription = subs.data ? activeSubscription(subs.data.items) : undefined;
  return useMemo(
    () => ({ catalogue, status: status.data, subscription, canViewSubscription: canView && !subs.error, reload: subs.reload }),
    [catalogue, status.data, subscription, canView, subs.error, subs.reload],
  );
}
